import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// Runs every `greenlight` command as a user would (the built binary, a fresh SQLite file, the repo's
/// demo data): a good call exits 0 and prints what it did; a bad argument exits non-zero with a message
/// that names the problem. `serve` is only asked for its help, and told a bad port.
@Suite("CLI smoke tests", .timeLimit(.minutes(15)))
struct CLISmokeTests {
    static let demo = TestDatabase.paths.demoData
    static let client = "Northwind Ledger"
    static let template = "Northwind intro EN"

    /// Adds the demo client (and its template) through the CLI.
    func addDemoClient(_ cli: GreenlightProcess) async throws {
        let added = try await cli.succeed(["client", "add", Self.demo + "/pack"])
        #expect(added.stdout.contains("Client Northwind Ledger saved (id 1)"), "\(added)")
        #expect(added.stdout.contains("4 case studies"), "\(added)")
    }

    @Test("migrate; a bad --database or --log-level; an unknown command")
    func migrate() async throws {
        let latest = try Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: .sqlite).migrations().map(\.version).max() ?? 0
        try await GreenlightProcess.withFolder { cli in
            let result = try await cli.succeed(["migrate"])
            #expect(result.stdout.contains("SQLite at \(cli.database) is at schema version \(latest)."), "\(result)")
            #expect(FileManager.default.fileExists(atPath: cli.database))
            try await cli.fail(
                ["migrate", "--database", "mysql://root@localhost/greenlight"], saying: "unsupported database URL scheme", database: false)
            try await cli.fail(["migrate", "--database", "postgres://greenlight@localhost"], saying: "names no database", database: false)
            try await cli.fail(["migrate", "--database", ""], saying: "the database location is empty", database: false)
            try await cli.fail(["migrate", "--log-level", "loud"], saying: "--log-level loud is not one of")
            try await cli.fail(["frobnicate"], saying: "frobnicate", database: false)
        }
    }

    @Test("client add, template add, import, generate; unknown client or template, missing files, unknown batch")
    func clientTemplateImportGenerate() async throws {
        try await GreenlightProcess.withFolder { cli in
            try await cli.fail(["client", "add", cli.folder.path + "/no-such-pack"], saying: "\(cli.folder.path)/no-such-pack is not a folder")
            try await addDemoClient(cli)
            try await cli.fail(
                ["template", "add", Self.demo + "/template.md", "--client", "Nobody"], saying: "no client named \"Nobody\"; clients: Northwind Ledger"
            )
            try await cli.fail(
                ["template", "add", cli.folder.path + "/missing.md", "--client", Self.client], saying: "cannot read \(cli.folder.path)/missing.md")
            let saved = try await cli.succeed(["template", "add", Self.demo + "/template.md", "--client", Self.client])
            #expect(saved.stdout.contains("Template Northwind intro EN saved for Northwind Ledger (id 1); variables: "), "\(saved)")

            let csv = Self.demo + "/contacts.csv"
            try await cli.fail(
                ["import", cli.folder.path + "/missing.csv", "--client", Self.client, "--template", Self.template],
                saying: "cannot read \(cli.folder.path)/missing.csv")
            try await cli.fail(["import", csv, "--client", "Nobody", "--template", Self.template], saying: "no client named \"Nobody\"")
            try await cli.fail(
                ["import", csv, "--client", Self.client, "--template", "Nope"],
                saying: "has no template named \"Nope\"; templates: Northwind intro EN")

            let imported = try await cli.succeed(["import", csv, "--client", Self.client, "--template", Self.template, "--no-generate"])
            #expect(imported.stdout.hasPrefix("Batch 1: 130 rows read"), "\(imported)")
            #expect(!imported.stdout.contains("Drafted"), "--no-generate drafts nothing")
            let count = try #require(Self.number(before: " imported,", in: imported.stdout))
            #expect(count > 100)
            let generated = try await cli.succeed(["generate", "--batch", "1"])
            #expect(generated.stdout.contains("Batch 1: drafted \(count) emails."), "\(generated)")
            try await cli.fail(["generate", "--batch", "99"], saying: "batch 99 does not exist")
            try await cli.fail(["generate", "--batch", "one"], saying: "one")
        }
    }

    @Test("user add, user assign; a bad role, a short password, an unknown user or client")
    func users() async throws {
        try await GreenlightProcess.withFolder { cli in
            try await addDemoClient(cli)
            let manager = try await cli.succeed([
                "user", "add", "--email", "Mia@Example.com", "--password", "long enough", "--role", "manager", "--client", Self.client,
            ])
            #expect(manager.stdout.contains("User mia@example.com"), "\(manager)")
            #expect(manager.stdout.contains("saved as manager, working on Northwind Ledger."), "\(manager)")
            let sdr = try await cli.succeed([
                "user", "add", "--email", "sam@example.com", "--password", "long enough", "--role", "sdr", "--name", "Sam",
            ])
            #expect(sdr.stdout.contains("User sam@example.com (Sam) saved as sdr. They see no client until assigned one"), "\(sdr)")
            try await cli.fail(
                ["user", "add", "--email", "x@example.com", "--password", "long enough", "--role", "boss"],
                saying: "--role boss is not one of sdr, manager, admin")
            try await cli.fail(["user", "add", "--email", "x@example.com", "--password", "short", "--role", "sdr"], saying: "at least 8 characters")
            try await cli.fail(
                ["user", "add", "--email", "not-an-email", "--password", "long enough", "--role", "sdr"], saying: "not a valid email address")
            try await cli.fail(
                ["user", "add", "--email", "x@example.com", "--password", "long enough", "--role", "sdr", "--client", "Nobody"],
                saying: "no client named \"Nobody\"")

            let assigned = try await cli.succeed(["user", "assign", "--email", "sam@example.com", "--client", Self.client])
            #expect(assigned.stdout.contains("sam@example.com now works on Northwind Ledger."), "\(assigned)")
            let removed = try await cli.succeed(["user", "assign", "--email", "sam@example.com", "--client", Self.client, "--remove"])
            #expect(removed.stdout.contains("sam@example.com no longer works on Northwind Ledger."), "\(removed)")
            try await cli.fail(
                ["user", "assign", "--email", "nobody@example.com", "--client", Self.client], saying: "no user with email nobody@example.com")
            try await cli.fail(["user", "assign", "--email", "sam@example.com", "--client", "Nobody"], saying: "no client named \"Nobody\"")
        }
    }

    @Test("apikey create, list, revoke; revoking twice, an unknown client")
    func apiKeys() async throws {
        try await GreenlightProcess.withFolder { cli in
            try await addDemoClient(cli)
            try await cli.fail(["apikey", "create", "--client", "Nobody"], saying: "no client named \"Nobody\"")
            let empty = try await cli.succeed(["apikey", "list", "--client", Self.client])
            #expect(empty.stdout.contains("Northwind Ledger has no API key."), "\(empty)")
            let created = try await cli.succeed(["apikey", "create", "--client", Self.client, "--name", "ci"])
            #expect(created.lines.first == "API key \"ci\" for Northwind Ledger (store it now; it is not shown again):", "\(created)")
            let key = try #require(created.lines.last)
            #expect(key.hasPrefix("gl_") && key.count > 40 && !key.contains(" "), "the key alone on the last line: \(key)")
            let listed = try await cli.succeed(["apikey", "list", "--client", Self.client])
            #expect(listed.stdout.hasPrefix("ci  reviewer  \(key.prefix(10))…\(key.suffix(4))  created "), "\(listed)")
            #expect(listed.stdout.contains("never used  active"), "\(listed)")
            #expect(!listed.stdout.contains(key), "the key is never shown again")
            let revoked = try await cli.succeed(["apikey", "revoke", "--client", Self.client, "--name", "ci"])
            #expect(revoked.stdout.contains("Revoked 1 key named ci of Northwind Ledger."), "\(revoked)")
            let after = try await cli.succeed(["apikey", "list", "--client", Self.client])
            #expect(after.stdout.contains("revoked ") && !after.stdout.contains("active"), "\(after)")
            try await cli.fail(["apikey", "revoke", "--client", Self.client, "--name", "ci"], saying: "Northwind Ledger has no active key named ci")
        }
    }

    @Test("secrets make-key, set, rotate; no key, an empty variable, no new key")
    func secrets() async throws {
        try await GreenlightProcess.withFolder { cli in
            try await addDemoClient(cli)
            let made = try await cli.succeed(["secrets", "make-key"], database: false)
            let key = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(Data(base64Encoded: key)?.count == 32, "a 256-bit key in base64: \(key)")
            let newKey = try await cli.succeed(["secrets", "make-key"], database: false).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(newKey != key)

            let setArguments = ["secrets", "set", "--client", Self.client, "--sequencer", "instantly", "--sequencer-key-env", "SEQUENCER_KEY"]
            try await cli.fail(setArguments, saying: "GREENLIGHT_SECRET_KEY is not set", environment: ["SEQUENCER_KEY": "sk-live-123"])
            try await cli.fail(
                setArguments, saying: "environment variable SEQUENCER_KEY is empty or not set", environment: ["GREENLIGHT_SECRET_KEY": key])
            try await cli.fail(
                ["secrets", "set", "--client", "Nobody", "--sequencer-key-env", "SEQUENCER_KEY"], saying: "no client named \"Nobody\"",
                environment: ["GREENLIGHT_SECRET_KEY": key, "SEQUENCER_KEY": "sk-live-123"])
            let stored = try await cli.succeed(setArguments, environment: ["GREENLIGHT_SECRET_KEY": key, "SEQUENCER_KEY": "sk-live-123"])
            #expect(stored.stdout.contains("Secrets of Northwind Ledger stored encrypted."), "\(stored)")
            let file = try Data(contentsOf: URL(fileURLWithPath: cli.database))
            #expect(file.range(of: Data("sk-live-123".utf8)) == nil, "the key is not in the database file as plain text")

            try await cli.fail(["secrets", "rotate"], saying: "GREENLIGHT_NEW_SECRET_KEY is not set", environment: ["GREENLIGHT_SECRET_KEY": key])
            let rotated = try await cli.succeed(
                ["secrets", "rotate"], environment: ["GREENLIGHT_SECRET_KEY": key, "GREENLIGHT_NEW_SECRET_KEY": newKey])
            #expect(rotated.stdout.contains("Re-encrypted 1 secrets."), "\(rotated)")
            try await cli.fail(
                ["secrets", "rotate"], saying: "GREENLIGHT_NEW_SECRET_KEY must be 32 random bytes in base64",
                environment: ["GREENLIGHT_SECRET_KEY": key, "GREENLIGHT_NEW_SECRET_KEY": "not base64 at all"])
        }
    }

    @Test("explain prints the page and count plans; bad filters and cursors are named")
    func explain() async throws {
        try await GreenlightProcess.withFolder { cli in
            let plain = try await cli.succeed(["explain", "--filters", "min_score=40&max_score=90"])
            #expect(plain.stdout.contains("-- page") && plain.stdout.contains("-- count (capped at"), "\(plain)")
            #expect(!plain.stdout.contains("-- search"))
            let search = try await cli.succeed(["explain", "--filters", "q=acme+ltd&status=all"])
            #expect(search.stdout.contains("-- search: through the search index"), "\(search)")
            try await cli.fail(["explain", "--filters", "min_score=high"], saying: "min_score must be a score from 0 to 100, got \"high\"")
            try await cli.fail(["explain", "--filters", "status=lost"], saying: "status \"lost\" is not one of")
            try await cli.fail(["explain", "--filters", "from=2026-13-40"], saying: "from must be a date written YYYY-MM-DD")
            try await cli.fail(["explain", "--after", "garbage!"], saying: "the page cursor \"garbage!\" is not one Greenlight gave out")
        }
    }

    @Test("demo --no-serve loads once; serve --help; serve with a bad port")
    func demoAndServe() async throws {
        try await GreenlightProcess.withFolder { cli in
            let loaded = try await cli.succeed(["demo", "--no-serve"])
            #expect(loaded.stdout.hasPrefix("Loaded demo client Northwind Ledger: "), "\(loaded)")
            let count = try #require(Self.number(before: " contacts imported", in: loaded.stdout))
            #expect(loaded.stdout.contains("\(count) drafts waiting for review."), "\(loaded)")
            #expect(!loaded.stdout.contains("Open http://"), "--no-serve does not serve")
            let again = try await cli.succeed(["demo", "--no-serve"])
            #expect(again.stdout.contains("Demo client Northwind Ledger was already loaded (\(count) drafts)."), "\(again)")

            let help = try await cli.succeed(["serve", "--help"], database: false)
            #expect(help.output.contains("--port") && help.output.contains("--hostname") && help.output.contains("--database"), "\(help)")
            try await cli.fail(["serve", "--port", "70000"], saying: "--port 70000 is not a port number")
        }
    }

    /// The whole number just before `marker` in `text`.
    static func number(before marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        return Int(String(text[..<range.lowerBound].reversed().prefix(while: \.isNumber).reversed()))
    }
}
