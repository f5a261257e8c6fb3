@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// `greenlight_contains`, the byte search a search's walk uses on SQLite, against `instr` on every
/// edge: empty parts, a part longer than the text, matches at either end, repeated first bytes,
/// multi-byte characters, NULL.
@Suite("SQLite's greenlight_contains")
struct SQLiteContainsTests {
    @Test("answers as instr does")
    func answersAsInstr() async throws {
        let cases: [(String, String)] = [
            ("company 12 visser", "company 12"), ("company 12 visser", "visser"), ("company 12 visser", "isser!"),
            ("abc", ""), ("", ""), ("", "a"), ("ab", "abc"), ("aaab", "aab"), ("cccompany", "ccompany"), ("ccompan", "company"),
            ("1 company 12", "company 12"), ("2company 1", "company 12"), ("company 1", "company 12"), ("xx1", "xx1"), ("1xx", "xx1"),
            ("ab12ab12", "b12a"), ("zebra", "zebra"), ("a zebr", "zebra"), ("crème brûlée", "brû"), ("crème brûlée", "brue"), ("100%_\\ off", "%_\\"),
            ("line\nbreak", "e\nb"),
        ]
        try await TestDatabase.with(.sqlite) { database in
            for (text, part) in cases {
                let row = try await database.read { sql in
                    try await sql.raw(
                        "SELECT greenlight_contains(\(bind: text), \(bind: part)) AS ours, instr(\(bind: text), \(bind: part)) > 0 AS theirs"
                    ).first()
                }
                let ours = try row?.decode(column: "ours", as: Int.self)
                let theirs = try row?.decode(column: "theirs", as: Int.self)
                #expect(ours == theirs, "\"\(text)\" contains \"\(part)\": \(String(describing: ours)), instr says \(String(describing: theirs))")
            }
            let null = try await database.read { sql in try await sql.raw("SELECT greenlight_contains(NULL, 'a') AS n").first() }
            #expect(try null?.decode(column: "n", as: Int?.self) == nil)
        }
    }

    @Test("finds exactly what a naive search finds, wherever the rarest byte of the part sits")
    func matchesNaiveSearch() {
        // A fixed pseudo-random sequence over a few bytes, common and rare, so parts repeat and overlap.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let alphabet = Array("ea 1z".utf8)
        for _ in 0..<2_000 {
            let text = (0..<next(24)).map { _ in alphabet[next(alphabet.count)] }
            let part = (0..<(1 + next(5))).map { _ in alphabet[next(alphabet.count)] }
            let naive = text.count >= part.count && (0...(text.count - part.count)).contains { Array(text[$0..<($0 + part.count)]) == part }
            let ours = text.withUnsafeBufferPointer { haystack in part.withUnsafeBufferPointer { SQLiteDriver.occurs($0, in: haystack) } }
            #expect(
                ours == naive,
                "\(String(decoding: text, as: UTF8.self).debugDescription) contains \(String(decoding: part, as: UTF8.self).debugDescription)")
        }
    }
}
