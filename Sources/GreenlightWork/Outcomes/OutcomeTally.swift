/// What happened to a group of sent emails, counted: how many were sent, replied to (auto-replies
/// are not replies), replied to positively (their lead's latest interest status is positive,
/// ``InterestLabel/positive``), bounced and unsubscribed. Opens and clicks are never counted: privacy
/// proxies open every email.
///
/// A sent email with no stored outcome yet counts as sent, not replied.
public struct OutcomeTally: Sendable, Hashable {
    public var sent = 0
    public var replied = 0
    public var positive = 0
    public var bounced = 0
    public var unsubscribed = 0

    public init(sent: Int = 0, replied: Int = 0, positive: Int = 0, bounced: Int = 0, unsubscribed: Int = 0) {
        self.sent = sent
        self.replied = replied
        self.positive = positive
        self.bounced = bounced
        self.unsubscribed = unsubscribed
    }

    /// Counts one more sent email.
    public mutating func add(_ email: SentEmail) {
        sent += 1
        if email.replied { replied += 1 }
        if email.positive { positive += 1 }
        if email.bounced { bounced += 1 }
        if email.unsubscribed { unsubscribed += 1 }
    }

    public var replyRate: OutcomeRate { OutcomeRate(count: replied, sent: sent) }
    public var positiveReplyRate: OutcomeRate { OutcomeRate(count: positive, sent: sent) }
    public var bounceRate: OutcomeRate { OutcomeRate(count: bounced, sent: sent) }
    public var unsubscribeRate: OutcomeRate { OutcomeRate(count: unsubscribed, sent: sent) }
}
