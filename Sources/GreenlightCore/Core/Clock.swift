import Foundation

/// Time as Greenlight stores it: milliseconds since 1970 in a BIGINT column, the same on both engines.
/// What time it is comes from a ``TimeSource``, never from here.
public enum Clock {
    public static func date(fromMillis millis: Int) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    public static func millis(from date: Date) -> Int {
        Int((date.timeIntervalSince1970 * 1000).rounded())
    }
}
