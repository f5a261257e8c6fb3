/// How the queue's header states a count that stopped at a cap: "1,000+" / "1,000 or more emails".
enum QueueCount {
    static func short(_ count: Int, cap: Int) -> String {
        count >= cap ? grouped(cap) + "+" : grouped(count)
    }

    static func sentence(_ count: Int, cap: Int) -> String {
        if count >= cap { return "\(grouped(cap)) or more emails" }
        return count == 1 ? "1 email" : "\(grouped(count)) emails"
    }

    /// `1234567` as `1,234,567` (without a number formatter: the queue states two counts per page).
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return number < 0 ? "-" + text : text
    }
}
