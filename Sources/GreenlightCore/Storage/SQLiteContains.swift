#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SQLiteNIO
import VaporCSQLite

extension SQLiteDriver {
    /// `greenlight_contains(text, part)`: 1 when `part`'s bytes occur in `text`, byte for byte; NULL
    /// when either is NULL.
    ///
    /// A search's walk in queue order checks a thousand emails' text or more for a page of matches
    /// (ReviewQueue.searchWalkQuery). SQLite's `LIKE` compares character by character, folding
    /// case, at about 600 MB/s: 3.5 ms of the walk's 4.4 at a million drafts. The search text and
    /// the words are both lower-cased already, so a plain byte search answers the same.
    ///
    /// It is a C function over SQLite's own bytes, installed in every connection the process opens
    /// (`sqlite3_auto_extension`): through SQLiteNIO's custom functions each call copied the text
    /// into a Swift string, validated it and boxed its arguments in an array, eight times the
    /// search itself (0.5 ms a page). SQLiteNIO keeps a connection's handle to itself, so the
    /// function cannot be installed one connection at a time; `VaporCSQLite` is the SQLite that
    /// sqlite-nio bundles and links, the same library its connections run on.
    static let installContains: Void = {
        let entry: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, OpaquePointer?) -> Int32 = { db, _, _ in
            sqlite_nio_sqlite3_create_function_v2(db, "greenlight_contains", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, containsCall, nil, nil, nil)
        }
        sqlite_nio_sqlite3_auto_extension(unsafeBitCast(entry, to: (@convention(c) () -> Void).self))
    }()

    /// The body of `greenlight_contains` as SQLite calls it.
    private static let containsCall: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, _, values in
        // The text first, then its length: reading the length first could make SQLite convert the value again.
        guard let values, let text = sqlite_nio_sqlite3_value_text(values[0]), let part = sqlite_nio_sqlite3_value_text(values[1]) else {
            sqlite_nio_sqlite3_result_null(context)
            return
        }
        let haystack = UnsafeBufferPointer(start: text, count: Int(sqlite_nio_sqlite3_value_bytes(values[0])))
        let needle = UnsafeBufferPointer(start: part, count: Int(sqlite_nio_sqlite3_value_bytes(values[1])))
        sqlite_nio_sqlite3_result_int(context, occurs(needle, in: haystack) ? 1 : 0)
    }

    /// Whether `needle`'s bytes occur in `haystack`: `memchr` to each place its rarest byte is, then
    /// `memcmp` around it. The first byte of a search is often a common letter ("c" of "company"
    /// stops `memchr` every 30 bytes); a digit or a rare letter lets it skip whole lines: 0.04 µs for
    /// an email's text where the first byte took 0.6.
    static func occurs(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let needleStart = needle.baseAddress, !needle.isEmpty else { return true }
        guard haystack.count >= needle.count, let base = haystack.baseAddress else { return false }
        let anchor = needle.indices.min { commonness[Int(needle[$0])] < commonness[Int(needle[$1])] } ?? 0
        let byte = Int32(needle[anchor])
        // The anchor's byte may sit anywhere from `anchor` to the last place a whole needle still fits.
        let last = base + (haystack.count - needle.count + anchor)
        var from = base + anchor
        while from <= last {
            guard let hit = memchr(from, byte, last - from + 1) else { return false }
            let place = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(place - anchor, needleStart, needle.count) == 0 { return true }
            from = place + 1
        }
        return false
    }

    /// How common each byte is in lower-cased English text: the space and the most frequent letters
    /// highest, then the rest of the alphabet; digits, punctuation and the bytes of other scripts 0.
    static let commonness: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        let order = Array(" etaoinsrhldcumfpgwybvkxjqz".utf8)
        for (rank, byte) in order.enumerated() { table[Int(byte)] = UInt8(order.count - rank) }
        return table
    }()
}
