import Foundation
import SQLKit

/// What a client's reviewers taught the drafts lately, for every agent's prompt: the most
/// recent style corrections as before/after pairs — trimmed to the changed passage with some words
/// around it, not whole emails — and the most frequent rejection reasons of the last 30 days with
/// their latest details, as mistakes to avoid.
public struct ClientLessons: Sendable, Equatable {
    /// One reviewer edit: the passage as drafted and as the reviewer left it.
    public struct Correction: Sendable, Equatable {
        public var before: String
        public var after: String
    }

    /// A rejection reason, how often it was given, and what reviewers wrote about it.
    public struct Mistake: Sendable, Equatable {
        public var reason: String
        public var count: Int
        public var details: [String]
    }

    public var corrections: [Correction]
    public var mistakes: [Mistake]
    /// Up to three recent emails of the client (and template) whose prospect answered positively —
    /// interested, a meeting, won — as the reviewers let them go out (trimmed), labelled as what worked.
    public var answered: [String] = []

    public static let none = ClientLessons(corrections: [], mistakes: [])

    /// The most of an answered email a prompt carries.
    static let answeredCap = 600

    /// The client's lessons as of `now`: its `corrections` most recent edits, its rejection reasons of
    /// the last 30 days, most frequent first (at most 5, each with up to 3 details), and the latest
    /// emails of `templateID` (any template when nil) that got a positive reply.
    public static func load(_ sql: any SQLDatabase, clientID: Int, templateID: Int? = nil, now: Int, corrections limit: Int = 5) async throws
        -> ClientLessons
    {
        let edits = try await sql.raw(
            """
            SELECT original, edited FROM style_corrections WHERE client_id = \(bind: clientID) ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
            """
        ).all().map { row in
            changedPassage(try row.decode(column: "original", as: String.self), try row.decode(column: "edited", as: String.self))
        }
        let since = now - 30 * 86_400_000
        let reasons = try await sql.raw(
            """
            SELECT reason, COUNT(*) AS n, MAX(created_at) AS last FROM review_events
            WHERE client_id = \(bind: clientID) AND action = 'reject' AND created_at >= \(bind: since) AND reason IS NOT NULL
            GROUP BY reason ORDER BY n DESC, last DESC LIMIT 5
            """
        ).all().map { (try $0.decode(column: "reason", as: String.self), try $0.decode(column: "n", as: Int.self)) }
        var mistakes: [Mistake] = []
        for (reason, count) in reasons {
            let details = try await sql.raw(
                """
                SELECT details FROM review_events WHERE client_id = \(bind: clientID) AND action = 'reject' AND reason = \(bind: reason)
                AND created_at >= \(bind: since) AND details IS NOT NULL AND details <> '' ORDER BY created_at DESC, id DESC LIMIT 3
                """
            ).all().map { try $0.decode(column: "details", as: String.self) }
            mistakes.append(Mistake(reason: reason, count: count, details: details))
        }
        let positive = InterestLabel.positive.map(\.rawValue)
        let template: SQLQueryString = templateID.map { " AND e.template_id = \(bind: $0)" } ?? ""
        let answered = try await sql.raw(
            """
            SELECT COALESCE(e.final_body, e.body) AS text FROM email_outcomes o JOIN generated_emails e ON e.id = o.email_id
            WHERE o.client_id = \(bind: clientID) AND o.interest IN (\(binds: positive))
            """ + template + " ORDER BY o.interest_at DESC, e.id DESC LIMIT 3"
        ).all().map { trimmed(try $0.decode(column: "text", as: String.self), to: answeredCap) }
        return ClientLessons(corrections: edits.filter { $0.before != $0.after }, mistakes: mistakes, answered: answered)
    }

    /// The text cut at a word before `limit` characters, "…" where it was cut.
    static func trimmed(_ text: String, to limit: Int) -> String {
        let clean = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard clean.count > limit else { return clean }
        var cut = clean.prefix(limit)
        while let last = cut.last, !last.isWhitespace { cut = cut.dropLast() }
        return (cut.isEmpty ? clean.prefix(limit) : cut).trimmingCharacters(in: .whitespacesAndNewlines) + "…"
    }

    /// The part of an edit that changed, with about `context` characters of unchanged text on each
    /// side (cut at a word, "…" where text was left out).
    static func changedPassage(_ before: String, _ after: String, context: Int = 60) -> Correction {
        let old = Array(before), new = Array(after)
        var start = 0
        while start < old.count, start < new.count, old[start] == new[start] { start += 1 }
        var endOld = old.count, endNew = new.count
        while endOld > start, endNew > start, old[endOld - 1] == new[endNew - 1] {
            endOld -= 1
            endNew -= 1
        }
        // Widen to words, then by the context.
        func left(_ text: [Character], _ index: Int) -> Int {
            var i = max(0, index - context)
            while i > 0, !text[i - 1].isWhitespace { i -= 1 }
            return i
        }
        func right(_ text: [Character], _ index: Int) -> Int {
            var i = min(text.count, index + context)
            while i < text.count, !text[i].isWhitespace { i += 1 }
            return i
        }
        let from = left(old, start)
        func piece(_ text: [Character], _ end: Int) -> String {
            let to = right(text, end)
            return (from > 0 ? "…" : "") + String(text[from..<to]).trimmingCharacters(in: .whitespacesAndNewlines) + (to < text.count ? "…" : "")
        }
        return Correction(before: piece(old, endOld), after: piece(new, endNew))
    }
}
