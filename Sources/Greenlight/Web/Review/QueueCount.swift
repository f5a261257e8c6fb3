import Foundation

/// How the queue's header states a count that stopped at a cap: "1,000+" / "1,000 or more emails".
enum QueueCount {
    static func short(_ count: Int, cap: Int) -> String {
        count >= cap ? grouped(cap) + "+" : grouped(count)
    }

    static func sentence(_ count: Int, cap: Int) -> String {
        if count >= cap { return "\(grouped(cap)) or more emails" }
        return count == 1 ? "1 email" : "\(grouped(count)) emails"
    }

    static func grouped(_ number: Int) -> String {
        number.formatted(.number.locale(Locale(identifier: "en_US")))
    }
}
