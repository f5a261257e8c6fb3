import Crypto
import Foundation

/// The gate's random sample, reproducible: whether an email is held for blind review depends only on
/// its id and its client's seed (SHA-256 of both, read as a fraction in [0, 1)), so the same email is
/// always drawn the same way, on any instance, and the share drawn holds over large numbers.
public enum SampleDraw {
    /// A fraction in [0, 1) for this email.
    public static func fraction(emailID: Int, seed: String) -> Double {
        let digest = SHA256.hash(data: Data("\(seed):\(emailID)".utf8))
        let value = digest.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        return Double(value >> 11) / Double(UInt64(1) << 53)
    }

    /// Whether the email is in the sample at `rateBP` basis points.
    public static func isSampled(emailID: Int, seed: String, rateBP: Int) -> Bool {
        fraction(emailID: emailID, seed: seed) * 10_000 < Double(rateBP)
    }
}
