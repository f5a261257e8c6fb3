import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import SQLKit

/// Test data built through the app's own code: the demo client and template, synthetic contacts, drafts, users.
package struct Seed {
    package var clientID: Int
    package var templateID: Int
    package var batchID: Int

    package init(clientID: Int, templateID: Int, batchID: Int) {
        self.clientID = clientID
        self.templateID = templateID
        self.batchID = batchID
    }

    static let industries = ["Logistics", "Wholesale", "Retail", "Manufacturing", "Healthcare", "SaaS", "Hospitality", "Education"]
    static let titles = ["Head of Finance", "Financial Controller", "AP Manager", "CFO", "Chief Operating Officer", "Office Manager", "Bursar"]

    /// Loads the demo pack and template (under `clientName`) and imports `contacts` synthetic contacts, drafted.
    package static func make(_ database: Database, contacts: Int = 60, clientName: String = "Northwind Ledger", generate: Bool = true) async throws
        -> Seed
    {
        let folder = try ContextPackFolder(path: TestDatabase.paths.demoData + "/pack").read()
        var profile = folder.profile
        profile.name = clientName
        let clientID = try await ClientRepository(database: database).save(profile: profile, pack: folder.pack)
        let text = try String(contentsOfFile: TestDatabase.paths.demoData + "/template.md", encoding: .utf8)
        let templateID = try await TemplateRepository(database: database).save(try TemplateFile.parse(text), clientID: clientID)
        if contacts == 0 { return Seed(clientID: clientID, templateID: templateID, batchID: 0) }
        let report = try await ContactImporter(database: database).importCSV(
            .bytes(Array(csv(contacts, domain: clientName).utf8)), fileName: "seed.csv", clientID: clientID, templateID: templateID)
        if generate {
            _ = try await DraftGenerator(database: database).generate(batchID: report.batchID)
        }
        return Seed(clientID: clientID, templateID: templateID, batchID: report.batchID)
    }

    /// Imports `contacts` more synthetic contacts into the seeded client (addresses start with `prefix`) and drafts them.
    @discardableResult
    package static func importAndDraft(_ database: Database, seed: Seed, contacts: Int, prefix: String = "more") async throws -> Int {
        let text = csv(contacts, domain: prefix).replacingOccurrences(of: "person", with: prefix)
        let report = try await ContactImporter(database: database).importCSV(
            .bytes(Array(text.utf8)), fileName: "\(prefix).csv", clientID: seed.clientID, templateID: seed.templateID)
        _ = try await DraftGenerator(database: database).generate(batchID: report.batchID)
        return report.batchID
    }

    package static func csv(_ count: Int, domain: String) -> String {
        let slug = domain.lowercased().filter(\.isLetter)
        var lines = ["first_name,last_name,email,company_name,website,linkedin_url,industry,job_title"]
        for index in 0..<count {
            let company = "Company\(index / 3)"
            lines.append(
                "First\(index),Last\(index),person\(index)@\(slug)\(index / 3).example,\(company),https://\(slug)\(index / 3).example,,\(industries[index % industries.count]),\(titles[index % titles.count])"
            )
        }
        return lines.joined(separator: "\n")
    }

    /// Gives the seeded emails spread-out scores and ages so ordering and filters have something to sort.
    package static func spreadScores(_ database: Database) async throws {
        try await database.write { sql in
            let ids = try await sql.raw("SELECT id FROM generated_emails ORDER BY id").all().map { try $0.decode(column: "id", as: Int.self) }
            for (index, id) in ids.enumerated() {
                let score = (index * 37) % 101
                let created = 1_767_225_600_000 + (index % 7) * 86_400_000
                try await sql.raw("UPDATE generated_emails SET quality_score = \(bind: score), created_at = \(bind: created) WHERE id = \(bind: id)")
                    .run()
            }
        }
    }

    /// A user with the password "correct horse battery", assigned to `clients` (default: every client that exists).
    package static func user(_ database: Database, email: String, role: Role = .sdr, name: String? = nil, clients: [Int]? = nil) async throws -> User
    {
        let user = try await UserRepository(database: database, hasher: PasswordHasher(cost: 4)).save(
            email: email, name: name, password: "correct horse battery", role: role)
        var ids = clients ?? []
        if clients == nil { ids = try await ClientRepository(database: database).all().map(\.id) }
        for id in ids { try await ClientAssignments(database: database).assign(userID: user.id, clientID: id) }
        return user
    }

    package static func count(_ database: Database, _ query: String) async throws -> Int {
        try await database.read { sql in
            try await sql.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }
}
