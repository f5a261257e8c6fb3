import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
import SQLKit
import Testing
import GreenlightTestSupport

/// "What converts" counted on both databases from outcomes recorded as webhook deliveries (each
/// twice, one interest change out of order): hand-counted rates with their intervals (computed
/// independently in Python, z = 1.959964), every breakdown, the client's own days, an SDR's own
/// figures, and a recount from the raw events.
@Suite("What converts: outcome figures")
struct OutcomeFiguresTests {
    static func range() throws -> DashboardRange {
        try DashboardRange(from: OutcomeFixtures.from, to: OutcomeFixtures.to, now: 0)
    }

    static func close(_ rate: OutcomeRate, _ count: Int, _ sent: Int, _ value: Double, _ low: Double, _ high: Double) -> Bool {
        rate.count == count && rate.sent == sent && abs((rate.interval.rate ?? -1) - value) < 0.00005 && abs(rate.interval.low - low) < 0.00005
            && abs(rate.interval.high - high) < 0.00005
    }

    static func tallies(_ figures: OutcomeFigures, _ dimension: OutcomeDimension) -> [String: OutcomeTally] {
        Dictionary(uniqueKeysWithValues: figures.breakdown(dimension).groups.map { ($0.label, $0.tally) })
    }

    @Test("hand count: 46 sent, 9 replied, 5 positive, 3 bounced, 1 unsubscribed, with their intervals", arguments: DatabaseDialect.allCases)
    func handCount(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let fixtures = try await OutcomeFixtures.make(database)
            let figures = try await OutcomeFigures.read(database, range: try Self.range(), clientIDs: [fixtures.seed.clientID])
            let overall = figures.overall
            #expect(overall == OutcomeTally(sent: 46, replied: 9, positive: 5, bounced: 3, unsubscribed: 1))
            #expect(Self.close(overall.replyRate, 9, 46, 0.1957, 0.1065, 0.3317))
            #expect(Self.close(overall.positiveReplyRate, 5, 46, 0.1087, 0.0473, 0.2304))
            #expect(Self.close(overall.bounceRate, 3, 46, 0.0652, 0.0224, 0.1750))
            #expect(Self.close(overall.unsubscribeRate, 1, 46, 0.0217, 0.0038, 0.1134))
            #expect(overall.replyRate.enoughEvidence)

            let bands = Self.tallies(figures, .scoreBand)
            #expect(
                bands == [
                    "70–79": OutcomeTally(sent: 30, replied: 6, positive: 3, bounced: 2, unsubscribed: 1),
                    "90–100": OutcomeTally(sent: 16, replied: 3, positive: 2, bounced: 1),
                ])
            let seventies = try #require(bands["70–79"])
            #expect(Self.close(seventies.replyRate, 6, 30, 0.2000, 0.0951, 0.3731))
            #expect(Self.close(seventies.positiveReplyRate, 3, 30, 0.1000, 0.0346, 0.2562))
            #expect(Self.close(seventies.bounceRate, 2, 30, 0.0667, 0.0185, 0.2132))
            #expect(Self.close(seventies.unsubscribeRate, 1, 30, 0.0333, 0.0059, 0.1667))
            #expect(bands["90–100"]?.replyRate.enoughEvidence == false, "16 sent is under the minimum of 20")

            #expect(Self.tallies(figures, .template).values.map(\.sent) == [46])
            #expect(Self.tallies(figures, .promptVersion).mapValues(\.sent) == ["agents-v3": 30, "context-pack-1": 16])
            #expect(
                Self.tallies(figures, .fill).mapValues(\.sent)
                    == [FillSource.model.label: 30, FillSource.contextPack.label: 12, FillSource.mixed.label: 4])
            #expect(
                Self.tallies(figures, .edit) == [
                    "edited before approval": OutcomeTally(sent: 10, replied: 6, positive: 3),
                    "as written": OutcomeTally(sent: 24, replied: 1, positive: 1, bounced: 2, unsubscribed: 1),
                ])
            #expect(
                Self.tallies(figures, .approval) == [
                    ApprovalPath.human.label: OutcomeTally(sent: 30, replied: 6, positive: 3, bounced: 2, unsubscribed: 1),
                    ApprovalPath.auto.label: OutcomeTally(sent: 12, replied: 2, positive: 1, bounced: 1),
                    ApprovalPath.sampled.label: OutcomeTally(sent: 4, replied: 1, positive: 1),
                ])
            #expect(Self.tallies(figures, .reviewer).mapValues(\.sent) == ["Sam": 30, "Kim": 4])
            // Email 41 went at 20:00 UTC on 1 November, the 2nd in Tokyo: in the range, in its first week.
            #expect(figures.breakdown(.week).groups.map(\.label) == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"])
            #expect(figures.breakdown(.week).groups.map(\.tally.sent) == [31, 15, 0, 0])

            // Positive replies, auto (1 of 12) minus human (4 of 34): −0.0343, −0.1979 to 0.2454.
            let difference = figures.autoVersusHuman
            #expect(abs((difference.difference ?? 0) + 0.0343) < 0.00005)
            #expect(abs(difference.low + 0.1979) < 0.00005 && abs(difference.high - 0.2454) < 0.00005)
        }
    }

    @Test("an SDR's figures are the emails they approved; another client's emails are not counted", arguments: DatabaseDialect.allCases)
    func ownFigures(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let fixtures = try await OutcomeFixtures.make(database)
            let range = try Self.range()
            let sam = try await OutcomeFigures.read(database, range: range, clientIDs: nil, reviewerID: fixtures.sam.id)
            #expect(sam.overall == OutcomeTally(sent: 30, replied: 6, positive: 3, bounced: 2, unsubscribed: 1))
            #expect(Self.tallies(sam, .reviewer).keys.sorted() == ["Sam"])
            let kim = try await OutcomeFigures.read(database, range: range, clientIDs: nil, reviewerID: fixtures.kim.id)
            #expect(kim.overall == OutcomeTally(sent: 4, replied: 1, positive: 1))
            let other = try await Seed.make(database, contacts: 0, clientName: "Other client")
            #expect(try await OutcomeFigures.read(database, range: range, clientIDs: [other.clientID]).overall == OutcomeTally())
        }
    }

    @Test("the live figures equal a recount from the raw outcome events, in every breakdown", arguments: DatabaseDialect.allCases)
    func recount(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let fixtures = try await OutcomeFixtures.make(database)
            let range = try Self.range()
            let emails = try await OutcomeFigures.sentEmails(database, range: range, clientIDs: [fixtures.seed.clientID])
            let stored = try await database.read { sql in
                try await sql.raw(
                    "SELECT email_id, kind, label, occurred_at FROM outcome_events WHERE email_id IS NOT NULL ORDER BY occurred_at DESC, id DESC"
                ).all()
            }
            #expect(stored.count == 25, "each delivery is stored once though it came twice")
            var events: [Int: [OutcomeEvent]] = [:]
            for row in stored {
                events[try row.decode(column: "email_id", as: Int.self), default: []].append(
                    OutcomeEvent(
                        vendor: "instantly", eventType: "", kind: OutcomeKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                        label: try row.decode(column: "label", as: String.self), campaignID: "", leadEmail: "", step: 0,
                        occurredAt: try row.decode(column: "occurred_at", as: Int.self)))
            }
            let recounted = emails.map { email in
                let outcome = EmailOutcome.from(events[email.id] ?? [])
                var counted = email
                counted.replied = outcome.repliedAt != nil
                counted.positive = outcome.positiveReply
                counted.bounced = outcome.bouncedAt != nil
                counted.unsubscribed = outcome.unsubscribedAt != nil
                return counted
            }
            let live = try await OutcomeFigures.read(database, range: range, clientIDs: [fixtures.seed.clientID])
            #expect(live == OutcomeFigures(emails: recounted, range: range))
            #expect(live.overall.positive == 5, "email 3's later \"not interested\" wins though it arrived first")
        }
    }

    @Test("fill source reads agent variables only; the approval path reads gate outcome and reviewer")
    func classifications() {
        func variable(_ name: String, _ level: DraftVariable.FallbackLevel) -> DraftVariable {
            DraftVariable(name: name, value: "x", confidence: 3, fallbackLevel: level, reasoning: "")
        }
        #expect(FillSource.of([variable("first_name", .companySite)]) == FillSource.none)
        #expect(FillSource.of([variable("first_name", .companySite), variable("target_persona", .contextPack)]) == .contextPack)
        #expect(FillSource.of([variable("target_persona", .industryInference)]) == .model)
        #expect(FillSource.of([variable("target_persona", .companySite), variable("system_1", .genericDefault)]) == .mixed)
        #expect(ApprovalPath.of(gateOutcome: "auto", reviewerID: nil) == .auto)
        #expect(ApprovalPath.of(gateOutcome: "sampled", reviewerID: 3) == .sampled)
        #expect(ApprovalPath.of(gateOutcome: "review", reviewerID: 3) == .human)
        #expect(ApprovalPath.of(gateOutcome: nil, reviewerID: 3) == .human)
    }
}
