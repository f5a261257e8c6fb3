import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import SQLKit

/// Sent emails with known outcomes for the "what converts" tests, recorded through the outcome
/// recorder as webhook deliveries (each delivered twice, and an interest change out of order).
///
/// The client's time zone is Asia/Tokyo; the range is 2026-11-02 … 2026-11-29 (four weeks).
/// Of 50 drafts, 46 count:
/// - 0…29: human-approved by Sam, score 75, prompt `agents-v3`, filled by the model (level 1), sent
///   2026-11-03; 0…9 edited. Replies 0…5; positive 0…2 (3 is interested, then not interested — the
///   later status wins though it arrives first); 6 only auto-replied, 7 only opened and clicked;
///   bounced 20 and 21; unsubscribed 22.
/// - 30…41: auto-approved, score 95, prompt `context-pack-1`, context pack (level 3), sent 2026-11-10
///   except 41, sent 2026-11-01 20:00 UTC (2026-11-02 in Tokyo). Replies 30 and 31; positive 30;
///   bounced 32.
/// - 42…45: sampled, approved by Kim, score 92, mixed fill, sent 2026-11-10. Reply and "won": 42.
/// Left out: 46 and 47 approved but not sent; 48 auto-approved, replied, sent 2026-11-29 20:00 UTC
/// (2026-11-30 in Tokyo); 49 never sent.
package struct OutcomeFixtures {
    package var seed: Seed
    package var sam: User
    package var kim: User
    package var manager: User
    package var ids: [Int]

    package static let from = "2026-11-02"
    package static let to = "2026-11-29"

    static let modelVariables = #"[{"confidence":4,"fallback_level":1,"name":"target_persona","reasoning":"on the site","value":"finance lead"}]"#
    static let packVariables = #"[{"confidence":2,"fallback_level":3,"name":"target_persona","reasoning":"the pack","value":"controller"}]"#
    static let mixedVariables =
        #"[{"confidence":4,"fallback_level":2,"name":"target_persona","reasoning":"industry","value":"cfo"},"#
        + #"{"confidence":2,"fallback_level":4,"name":"competitor_name","reasoning":"default","value":"spreadsheets"},"#
        + #"{"confidence":5,"fallback_level":1,"name":"first_name","reasoning":"csv","value":"Ada"}]"#

    static func millis(_ text: String) -> Int {
        Int((ISO8601DateFormatter().date(from: text)?.timeIntervalSince1970 ?? 0) * 1000)
    }

    package static func make(_ database: Database) async throws -> OutcomeFixtures {
        let seed = try await Seed.make(database, contacts: 50)
        let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
        let kim = try await Seed.user(database, email: "kim@team.example", name: "Kim")
        let manager = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
        let ids = try await database.read { sql in
            try await sql.raw("SELECT id FROM generated_emails WHERE client_id = \(bind: seed.clientID) ORDER BY id").all().map {
                try $0.decode(column: "id", as: Int.self)
            }
        }
        precondition(ids.count == 50, "the seed made \(ids.count) drafts")
        let week1 = millis("2026-11-03T12:00:00Z")
        let week2 = millis("2026-11-10T12:00:00Z")
        try await database.write { sql in
            try await sql.raw("UPDATE clients SET timezone = 'Asia/Tokyo' WHERE id = \(bind: seed.clientID)").run()
            for (index, id) in ids.enumerated() {
                var reviewer: User?
                var gate = "review"
                var score = 75
                var prompt = "agents-v3"
                var variables = modelVariables
                var sentAt: Int? = week1
                var status = "sent"
                switch index {
                case 0..<30: reviewer = sam
                case 30..<42, 48:
                    (gate, score, prompt, variables, sentAt) = ("auto", 95, "context-pack-1", packVariables, week2)
                    if index == 41 { sentAt = millis("2026-11-01T20:00:00Z") }
                    if index == 48 { sentAt = millis("2026-11-29T20:00:00Z") }
                case 42..<46:
                    (reviewer, gate, score, prompt, variables, sentAt) = (kim, "sampled", 92, "context-pack-1", mixedVariables, week2)
                case 46, 47: (reviewer, sentAt, status) = (sam, nil, "approved")
                default: continue
                }
                try await sql.raw(
                    """
                    UPDATE generated_emails SET status = \(bind: status), sent_at = \(bind: sentAt),
                    export_campaign_id = \(bind: sentAt == nil ? nil : "camp-1"), reviewer_id = \(bind: reviewer?.id),
                    reviewer_name = \(bind: reviewer?.name), reviewed_at = \(bind: reviewer == nil ? nil : week1 - 3_600_000),
                    gate_outcome = \(bind: gate), quality_score = \(bind: score), prompt_version = \(bind: prompt),
                    variables_json = \(bind: variables), final_body = \(bind: index < 10 ? "Edited by Sam." : nil)
                    WHERE id = \(bind: id)
                    """
                ).run()
            }
        }
        let addresses = try await database.read { sql in
            try await sql.raw("SELECT id, contact_email FROM generated_emails WHERE client_id = \(bind: seed.clientID)").all().reduce(
                into: [Int: String]()
            ) { $0[try $1.decode(column: "id", as: Int.self)] = try $1.decode(column: "contact_email", as: String.self) }
        }
        var events: [OutcomeEvent] = []
        func event(_ index: Int, _ kind: OutcomeKind, label: String = "", hours: Int) {
            events.append(
                OutcomeEvent(
                    vendor: "instantly", eventType: kind.rawValue, kind: kind, label: label, campaignID: "camp-1",
                    leadEmail: addresses[ids[index]] ?? "",
                    step: 1, occurredAt: millis("2026-11-12T00:00:00Z") + hours * 3_600_000))
        }
        for index in [0, 1, 2, 3, 4, 5, 30, 31, 42, 48] { event(index, .reply, hours: index) }
        for index in [0, 1, 2] { event(index, .interest, label: "interested", hours: 50) }
        event(3, .interest, label: "not_interested", hours: 60)
        event(3, .interest, label: "interested", hours: 55)
        event(30, .interest, label: "meeting_booked", hours: 50)
        event(42, .interest, label: "won", hours: 50)
        event(48, .interest, label: "interested", hours: 50)
        event(6, .autoReply, hours: 1)
        event(7, .opened, hours: 1)
        event(7, .clicked, hours: 2)
        for index in [20, 21, 32] { event(index, .bounce, hours: 3) }
        event(22, .unsubscribe, hours: 4)
        let recorder = OutcomeRecorder(database: database)
        // Every delivery twice, as sequencers retry: stored once.
        _ = try await recorder.record(events, clientID: seed.clientID, source: .webhook)
        _ = try await recorder.record(events.reversed(), clientID: seed.clientID, source: .webhook)
        return OutcomeFixtures(seed: seed, sam: sam, kim: kim, manager: manager, ids: ids)
    }
}
