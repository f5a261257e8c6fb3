import Foundation
import Logging
import GreenlightCore

/// Loads the bundled demo client, template and contacts, drafts them, adds eight weeks of review
/// history (``DemoHistory``) with what its prospects answered (``DemoOutcomes``), a second client in
/// partial with a prompt experiment (``DemoPartialHistory``), and makes a demo login, so a new user sees a working queue and rollout
/// figures in one command. Running it again changes nothing.
public struct DemoSetup: Sendable {
    /// What the demo made, to print.
    public struct Result: Sendable {
        public var clientName: String
        public var imported: Int
        public var skipped: [ImportReport.SkippedRow]
        public var drafted: Int
        public var alreadyLoaded: Bool
        public var email: String
        public var password: String
    }

    public static let email = "demo@greenlight.example"
    public static let password = "greenlight-demo"

    let database: Database
    let paths: ResourcePaths
    let hasher: PasswordHasher
    let clock: TimeSource

    public init(database: Database, paths: ResourcePaths, hasher: PasswordHasher = PasswordHasher(), clock: TimeSource = .system) {
        self.database = database
        self.paths = paths
        self.hasher = hasher
        self.clock = clock
    }

    public func run() async throws -> Result {
        let folder = ContextPackFolder(path: paths.demoData + "/pack")
        let contents = try folder.read()
        let clients = ClientRepository(database: database, clock: clock)
        let clientID = try await clients.save(profile: contents.profile, pack: contents.pack)
        guard let templateText = FileManager.default.contents(atPath: paths.demoData + "/template.md").flatMap({ String(data: $0, encoding: .utf8) })
        else {
            throw ConfigurationError("the demo template is missing from \(paths.demoData)")
        }
        let template = try TemplateFile.parse(templateText, source: "demo template")
        let templateID = try await TemplateRepository(database: database, clock: clock).save(template, clientID: clientID)
        try await UserRepository(database: database, hasher: hasher, clock: clock).save(
            email: Self.email, name: "Demo Reviewer", password: Self.password, role: .admin)
        let existing = try await ReviewQueue(database: database).count(QueueFilter(clientID: clientID, status: .all))
        if existing > 0 {
            let waiting = try await ReviewQueue(database: database).count(QueueFilter(clientID: clientID))
            return Result(
                clientName: contents.profile.name, imported: 0, skipped: [], drafted: waiting, alreadyLoaded: true, email: Self.email,
                password: Self.password)
        }
        let contactsPath = paths.demoData + "/contacts.csv"
        guard FileManager.default.isReadableFile(atPath: contactsPath) else {
            throw ConfigurationError("the demo contacts are missing from \(paths.demoData)")
        }
        // Today's drafts first, so their ids stay as they were; then eight weeks of decided history.
        let report = try await ContactImporter(database: database, clock: clock).importCSV(
            .file(path: contactsPath), fileName: "contacts.csv", clientID: clientID, templateID: templateID)
        let summary = try await DraftGenerator(database: database, clock: clock).generate(batchID: report.batchID)
        try await DemoHistory(database: database, hasher: hasher, clock: clock).create(clientID: clientID, templateID: templateID)
        try await DemoOutcomes(database: database, clock: clock).create(clientID: clientID)
        try await DemoOutcomes(database: database, clock: clock).keptAsideAndDoNotContact(clientID: clientID)
        try await DemoPartialHistory(database: database, clock: clock).create(profile: contents.profile, pack: contents.pack, template: template)
        return Result(
            clientName: contents.profile.name, imported: report.imported, skipped: report.skipped, drafted: summary.drafted,
            alreadyLoaded: false, email: Self.email, password: Self.password)
    }
}
