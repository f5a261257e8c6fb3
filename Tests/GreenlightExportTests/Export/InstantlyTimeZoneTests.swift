import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// Instantly takes 102 zone names in a campaign schedule (issue 27, item 6): every zone Foundation
/// knows is sent as one that keeps its clock for the next three years, or refused with the nearest
/// names — checked here by sampling both clocks, not by the mapping's own method.
@Suite("Instantly's time zones")
struct InstantlyTimeZoneTests {
    /// A fixed start, so the test does not depend on today's date.
    static let start = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01

    /// Whether two zones show the same UTC offset at each transition of either (and just before it)
    /// and every 5 days over three years.
    static func sameClock(_ a: TimeZone, _ b: TimeZone) -> Bool {
        let end = start.addingTimeInterval(3 * 365 * 86_400)
        var moments: [Date] = stride(from: 0.0, to: end.timeIntervalSince(start), by: 5 * 86_400).map { start.addingTimeInterval($0) }
        for zone in [a, b] {
            var moment = start
            while let next = zone.nextDaylightSavingTimeTransition(after: moment), next < end {
                moments += [next, next.addingTimeInterval(-1)]
                moment = next
            }
        }
        return moments.allSatisfy { a.secondsFromGMT(for: $0) == b.secondsFromGMT(for: $0) }
    }

    @Test("the list is Instantly's: 102 names, each a zone Foundation knows")
    func list() {
        #expect(InstantlyTimeZone.accepted.count == 102 && Set(InstantlyTimeZone.accepted).count == 102)
        #expect(Set(InstantlyTimeZone.accepted) == FakeSequencer.instantlyTimezones, "the client's list and the fake's agree")
        for name in InstantlyTimeZone.accepted { #expect(TimeZone(identifier: name) != nil, "\(name)") }
    }

    @Test("every known zone maps to an accepted name with the same clock for three years, or is refused naming the nearest")
    func everyZone() {
        var refused: [String] = []
        for zone in TimeZone.knownTimeZoneIdentifiers {
            switch InstantlyTimeZone.map(zone, from: Self.start) {
            case .same(let name):
                #expect(name == zone && InstantlyTimeZone.accepted.contains(name))
            case .equivalent(let name):
                #expect(InstantlyTimeZone.accepted.contains(name), "\(zone) → \(name)")
                #expect(Self.sameClock(TimeZone(identifier: zone)!, TimeZone(identifier: name)!), "\(zone) → \(name) keeps another clock")
            case .none(let nearest):
                refused.append(zone)
                #expect(nearest.count == 3 && nearest.allSatisfy(InstantlyTimeZone.accepted.contains), "\(zone): \(nearest)")
                #expect(
                    !InstantlyTimeZone.accepted.contains { name in Self.sameClock(TimeZone(identifier: zone)!, TimeZone(identifier: name)!) },
                    "\(zone) is refused though an accepted name keeps its clock")
            }
        }
        #expect(refused.contains("America/Los_Angeles"))
    }

    @Test("the clients' usual zones, the same region preferred, and the sentences the settings show")
    func usual() {
        let expected: [(String, InstantlyTimeZone.Mapping)] = [
            ("Europe/London", .equivalent("Europe/Isle_of_Man")), ("Europe/Paris", .equivalent("Europe/Belgrade")),
            ("Europe/Berlin", .equivalent("Europe/Belgrade")), ("America/New_York", .equivalent("America/Detroit")),
            ("America/Chicago", .same("America/Chicago")), ("Asia/Kolkata", .same("Asia/Kolkata")),
        ]
        for (zone, mapping) in expected { #expect(InstantlyTimeZone.map(zone, from: Self.start) == mapping, "\(zone)") }
        #expect(
            InstantlyTimeZone.describe("Europe/London", from: Self.start)
                == "Europe/London is sent to Instantly as Europe/Isle_of_Man (the same clock).")
        let pacific = InstantlyTimeZone.describe("America/Los_Angeles", from: Self.start)
        #expect(
            pacific.hasPrefix("Instantly takes no time zone that keeps the clock of America/Los_Angeles")
                && pacific.contains("the nearest it takes: America/"), "\(pacific)")
        #expect(InstantlyTimeZone.map("Mars/Olympus", from: Date()) == .none(nearest: []))
    }
}
