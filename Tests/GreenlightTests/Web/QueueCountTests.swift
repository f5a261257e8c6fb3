import Foundation
@testable import Greenlight
import Testing

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
