import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

@Suite("Queue count text")
struct QueueCountTests {
    @Test func statesCappedCounts() {
        #expect(QueueCount.sentence(0, cap: 10_000) == "0 emails")
        #expect(QueueCount.sentence(1, cap: 10_000) == "1 email")
        #expect(QueueCount.sentence(9_999, cap: 10_000) == "9,999 emails")
        #expect(QueueCount.sentence(10_000, cap: 10_000) == "10,000 or more emails")
        #expect(QueueCount.short(42, cap: 10_000) == "42")
        #expect(QueueCount.short(10_000, cap: 10_000) == "10,000+")
    }
}

@Suite("Number and date text")
struct DateTextTests {
    @Test func groupsThousandsLikeTheNumberFormatter() {
        for number in [0, 7, 999, 1_000, 12_345, 999_999, 1_000_000, -4_321, 1_234_567_890] {
            #expect(QueueCount.grouped(number) == number.formatted(.number.locale(Locale(identifier: "en_US"))))
        }
    }

    /// The hand-written formats agree with Foundation's formatters on instants from 1900 to 2200,
    /// around day and year boundaries, leap days and before 1970.
    @Test func writesTheSameTextAsFoundation() {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let human = DateFormatter()
        human.locale = Locale(identifier: "en_US_POSIX")
        human.timeZone = TimeZone(identifier: "UTC")
        human.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        var generator = SystemRandomNumberGenerator()
        let edges = [0, -1, -1_000, -1_001, 999, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 1_798_761_599_999, -2_208_988_800_000]
        let samples = edges + (0..<2_000).map { _ in Int.random(in: -2_208_988_800_000...7_258_118_400_000, using: &generator) }
        for millis in samples {
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            #expect(DateText.iso(millis) == iso.string(from: date), "\(millis)")
            #expect(DateText.format(millis) == human.string(from: date), "\(millis)")
        }
    }
}
