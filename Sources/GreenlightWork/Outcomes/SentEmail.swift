/// One sent email as the "what converts" breakdowns see it: what it was (score, template, prompt
/// version, how it was filled), how it got out (approved as written or edited, by whom and by which
/// path), the week it went in, and what came back.
public struct SentEmail: Sendable, Hashable {
    public var id: Int
    public var clientID: Int
    public var score: Int
    public var templateID: Int
    public var templateName: String
    /// The agents' prompt version the draft was written with (`generated_emails.prompt_version`);
    /// empty for drafts made before it was recorded.
    public var promptVersion: String
    public var fill: FillSource
    /// A person changed the body or the subject before approving it (`final_body` is set).
    public var edited: Bool
    public var path: ApprovalPath
    public var reviewerID: Int?
    public var reviewerName: String?
    /// The first day (`YYYY-MM-DD`) of the range's week it was sent in, in its client's time zone.
    public var week: String
    public var replied: Bool
    public var positive: Bool
    public var bounced: Bool
    public var unsubscribed: Bool

    public init(
        id: Int, clientID: Int, score: Int, templateID: Int, templateName: String, promptVersion: String, fill: FillSource, edited: Bool,
        path: ApprovalPath, reviewerID: Int?, reviewerName: String?, week: String, replied: Bool, positive: Bool, bounced: Bool,
        unsubscribed: Bool
    ) {
        self.id = id
        self.clientID = clientID
        self.score = score
        self.templateID = templateID
        self.templateName = templateName
        self.promptVersion = promptVersion
        self.fill = fill
        self.edited = edited
        self.path = path
        self.reviewerID = reviewerID
        self.reviewerName = reviewerName
        self.week = week
        self.replied = replied
        self.positive = positive
        self.bounced = bounced
        self.unsubscribed = unsubscribed
    }
}
