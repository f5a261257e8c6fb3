import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// What the demo's prospects answered, so "What converts", the outcome figures and the suppression
/// list show real content on first start: the history's emails approved more than a day ago went out
/// in one Instantly run a week (their ledger written as a finished export), and their outcomes
/// arrived as webhook deliveries do (``OutcomeRecorder``): a few percent replies — more for higher
/// scores — about half of them positive, some auto-replies, about 2% bounces, a few unsubscribes; a
/// reply for a lead the demo never sent, kept aside; and a domain a manager marked do-not-contact.
/// From a fixed seed, so every demo shows the same.
struct DemoOutcomes {
    let database: Database
    let clock: TimeSource

    func create(clientID: Int) async throws {
        let now = clock.nowMillis()
        let day = 86_400_000
        let emails = try await database.read { sql in
            try await sql.raw(
                """
                SELECT id, template_id, contact_email, quality_score, COALESCE(reviewed_at, created_at) AS reviewed_at FROM generated_emails
                WHERE client_id = \(bind: clientID) AND status IN ('approved', 'approved_edited', 'approved_auto')
                AND COALESCE(reviewed_at, created_at) < \(bind: now - day) ORDER BY COALESCE(reviewed_at, created_at), id
                """
            ).all().map {
                (
                    id: try $0.decode(column: "id", as: Int.self), template: try $0.decode(column: "template_id", as: Int.self),
                    email: try $0.decode(column: "contact_email", as: String.self), score: try $0.decode(column: "quality_score", as: Int.self),
                    reviewedAt: try $0.decode(column: "reviewed_at", as: Int.self)
                )
            }
        }
        guard !emails.isEmpty else { return }
        let clientName = try await database.read { sql in
            try await sql.raw("SELECT name FROM clients WHERE id = \(bind: clientID)").first()?.decode(column: "name", as: String.self) ?? "Demo"
        }
        // One run a week, sent the morning after the week's last approval.
        let weeks = Dictionary(grouping: emails, by: { ($0.reviewedAt - emails[0].reviewedAt) / (7 * day) })
        let events = try await database.write { sql -> [OutcomeEvent] in
            var random = SeededRandom(seed: 20_261_207)
            var events: [OutcomeEvent] = []
            for week in weeks.keys.sorted() {
                guard let batch = weeks[week], let last = batch.map(\.reviewedAt).max() else { continue }
                let sentAt = min(last + day / 2, now - day / 2)
                let localDay = LocalDay.of(millis: sentAt, timeZone: "UTC")
                guard
                    let run = try await sql.raw(
                        """
                        INSERT INTO export_runs (client_id, kind, status, run_trigger, started_at, finished_at, claimed, sent, requests)
                        VALUES (\(bind: clientID), 'instantly', 'finished', 'schedule', \(bind: sentAt), \(bind: sentAt + 60_000), \(bind: batch.count), \(bind: batch.count), 3)
                        RETURNING id
                        """
                    ).first()?.decode(column: "id", as: Int.self)
                else { throw StorageError("recording a demo export run returned no id") }
                for template in Set(batch.map(\.template)).sorted() {
                    let campaignID = "demo-campaign-\(week + 1)-\(template)"
                    let name = "\(clientName) - Northwind intro EN - \(localDay)"
                    try await sql.raw(
                        """
                        INSERT INTO export_campaigns (run_id, template_id, name, campaign_id, status) VALUES (\(bind: run), \(bind: template), \(bind: name), \(bind: campaignID), 'activated')
                        """
                    ).run()
                    for (index, email) in batch.filter({ $0.template == template }).enumerated() {
                        let leadID = "demo-lead-\(email.id)"
                        try await sql.raw(
                            """
                            INSERT INTO export_items (run_id, email_id, status, sequencer_lead_id, batch, updated_at)
                            VALUES (\(bind: run), \(bind: email.id), 'sent', \(bind: leadID), 1, \(bind: sentAt))
                            """
                        ).run()
                        try await sql.raw(
                            """
                            UPDATE generated_emails SET status = 'sent', export_campaign_id = \(bind: campaignID), export_campaign_name = \(bind: name),
                            sequencer_lead_id = \(bind: leadID), sent_at = \(bind: sentAt) WHERE id = \(bind: email.id)
                            """
                        ).run()
                        events += Self.outcomes(
                            lead: email.email, campaignID: campaignID, score: email.score, sentAt: sentAt + index * 240_000, now: now, random: &random
                        )
                    }
                }
            }
            return events
        }
        _ = try await OutcomeRecorder(database: database, clock: clock).record(events, clientID: clientID, source: .webhook)
    }

    /// A reply for a lead the demo never sent (kept aside) and a domain a manager marked do-not-contact.
    func keptAsideAndDoNotContact(clientID: Int) async throws {
        let reply = OutcomeEvent(
            vendor: "instantly", eventType: "reply_received", kind: .reply, campaignID: "made-by-hand-in-instantly",
            leadEmail: "maria@elsewhere.example", step: 1, occurredAt: clock.nowMillis() - 3 * 86_400_000)
        _ = try await OutcomeRecorder(database: database, clock: clock).record([reply], clientID: clientID, source: .webhook)
        _ = try await SuppressionList(database: database, clock: clock).add(
            clientID: clientID, text: "rivalsoft.example", note: "a competitor: never write to their staff", userID: nil)
    }

    /// One lead's events after its first email went out at `sentAt`: the step sent, then a bounce
    /// (2%), or a reply (4% at score 55 up to 10% at 100) — half positive, a third of those later a
    /// meeting — or an auto-reply (3%), or an unsubscribe (1%). Nothing later than `now`.
    static func outcomes(lead: String, campaignID: String, score: Int, sentAt: Int, now: Int, random: inout SeededRandom) -> [OutcomeEvent] {
        func event(_ type: String, _ kind: OutcomeKind, _ label: InterestLabel? = nil, step: Int = 1, after hours: Int) -> OutcomeEvent? {
            let at = sentAt + hours * 3_600_000
            guard at < now else { return nil }
            return OutcomeEvent(
                vendor: "instantly", eventType: type, kind: kind, label: label?.rawValue ?? "", campaignID: campaignID, leadEmail: lead, step: step,
                occurredAt: at)
        }
        var events = [event("email_sent", .sent, after: 0)]
        let roll = random.next(below: 1000)
        let replyChance = 40 + (score - 55) * 60 / 45
        if roll < 20 {
            events.append(event("email_bounced", .bounce, after: 1))
        } else if roll < 20 + replyChance {
            let step = 1 + random.next(below: 3)
            let hours = 2 + random.next(below: 70) + (step - 1) * 72
            events.append(event("reply_received", .reply, step: step, after: hours))
            let mood = random.next(below: 100)
            if mood < 50 {
                events.append(event("lead_interested", .interest, .interested, after: hours + 1))
                if mood < 17 { events.append(event("lead_meeting_booked", .interest, .meetingBooked, after: hours + 30)) }
            } else if mood < 85 {
                events.append(event("lead_not_interested", .interest, .notInterested, after: hours + 1))
            } else {
                events.append(event("lead_wrong_person", .interest, .wrongPerson, after: hours + 1))
            }
        } else if roll < 50 + replyChance {
            events.append(event("auto_reply_received", .autoReply, after: 3))
        } else if roll < 60 + replyChance {
            events.append(event("lead_unsubscribed", .unsubscribe, after: 30))
        }
        if step2Sent(roll), let followUp = event("email_sent", .sent, step: 2, after: 72) { events.append(followUp) }
        return events.compactMap { $0 }
    }

    /// Whether the lead got the second step (no bounce, no early end).
    static func step2Sent(_ roll: Int) -> Bool { roll >= 20 }
}
