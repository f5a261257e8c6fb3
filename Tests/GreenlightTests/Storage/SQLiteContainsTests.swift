@testable import Greenlight
import SQLKit
import Testing

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
            ("crème brûlée", "brû"), ("crème brûlée", "brue"), ("100%_\\ off", "%_\\"), ("line\nbreak", "e\nb"),
        ]
        try await TestDatabase.with(.sqlite) { database in
            for (text, part) in cases {
                let row = try await database.read { sql in
                    try await sql.raw("SELECT greenlight_contains(\(bind: text), \(bind: part)) AS ours, instr(\(bind: text), \(bind: part)) > 0 AS theirs").first()
                }
                let ours = try row?.decode(column: "ours", as: Int.self)
                let theirs = try row?.decode(column: "theirs", as: Int.self)
                #expect(ours == theirs, "\"\(text)\" contains \"\(part)\": \(String(describing: ours)), instr says \(String(describing: theirs))")
            }
            let null = try await database.read { sql in try await sql.raw("SELECT greenlight_contains(NULL, 'a') AS n").first() }
            #expect(try null?.decode(column: "n", as: Int?.self) == nil)
        }
    }
}
