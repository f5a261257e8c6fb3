import Foundation
import GreenlightCore

/// Agent variables from a model: reads the prospect's site, then runs the agents the
/// template needs with the client's context pack and lessons. Whatever the model cannot give falls
/// back to the context pack, and the email says so.
public struct ModelFiller: VariableFiller {
    public let modelName: String
    public let note: String
    public let promptVersion = AgentPrompt.version
    /// As many contacts as the model takes requests at once: most of a contact's time is one call
    /// (persona, when the cache holds the company's answers), so the model's limit stays full.
    public var parallelism: Int { settings.concurrency }
    let team: AgentTeam
    let reader: WebsiteReader?
    let cache: AgentCache?
    let spend: SpendLedger?
    let settings: ModelSettings

    /// - Parameter reader: reads each contact's website (nil: the agents work without it).
    /// - Parameter cache: keeps company-level answers (nil: every contact asks every agent).
    /// - Parameter spend: pays for every call before it is made, and stops calls once a client's
    ///   budget cannot take the next one (nil: neither).
    public init(settings: ModelSettings, client: ChatClient, reader: WebsiteReader?, cache: AgentCache? = nil, spend: SpendLedger? = nil) {
        self.team = AgentTeam(client: client, settings: settings)
        self.reader = reader
        self.cache = cache
        self.spend = spend
        self.settings = settings
        self.modelName = settings.smallModel == settings.largeModel ? settings.smallModel : "\(settings.smallModel) + \(settings.largeModel)"
        self.note =
            "Drafted by the agents on \(modelName): each variable says whether it was found on the prospect's site (level 1), inferred from its industry (level 2) or taken from the context pack (3–4), and why."
    }

    public func fill(_ names: [String], for contact: ContactProfile, client: DraftClient) async throws -> FilledVariables {
        guard !names.isEmpty else { return FilledVariables(variables: []) }
        if let spend, let stop = try await spend.stopReason(clientID: client.id, clientName: client.name, calls: AgentTeam.firstRound(for: names)) {
            // The budget cannot take this contact's first calls: none is made; the batch stops here and its contacts wait.
            throw BudgetReached(reason: stop)
        }
        var notes: [String] = []
        var website: String?
        if let reader {
            let reading = await reader.read(contact.website)
            website = reading.text
            if reading.text == nil, let why = reading.problems.first { notes.append("The website was not read (\(why)).") }
        }
        // During an experiment the contact's arm decides what the agents are told.
        let prompt = client.prompt.choice(for: contact.email)
        let input = AgentPrompt.Input(
            clientName: client.name, contact: contact, pack: client.pack, websiteText: website, lessons: client.lessons,
            instructions: prompt.version.instructions)
        let company = CompanyKey.of(website: contact.website, companyName: contact.companyName)
        let slot = cache.flatMap { kept in client.templateID.map { AgentTeam.CacheSlot(cache: kept, company: company, templateID: $0) } }
        let meter = spend.map { CallMeter(ledger: $0, settings: settings, clientID: client.id, clientName: client.name, batchID: client.batchID) }
        let result = await team.fill(names, input: input, cache: slot, meter: meter)
        // A call the budget refused: the contact waits, drafted once the budget allows.
        if let stop = result.budgetReached { throw BudgetReached(reason: stop) }
        if !result.problems.isEmpty {
            notes.append("Some agents fell back to the context pack — " + result.problems.joined(separator: "; ") + ".")
        }
        return FilledVariables(
            variables: result.variables, note: notes.isEmpty ? nil : notes.joined(separator: " "),
            tokens: result.promptTokens + result.completionTokens, cacheHits: result.cacheHits, cacheLookups: result.cacheLookups,
            websiteText: website, prompt: prompt)
    }
}

/// The filler the environment asks for: the model's agents when `GREENLIGHT_LLM_BASE_URL` is set
/// (websites read unless they are private addresses, `GREENLIGHT_ALLOW_PRIVATE_FETCH=1` allowing
/// them; sites and company-level answers cached in the database for
/// `GREENLIGHT_LLM_CACHE_HOURS`, default 24), else the context pack.
public enum DraftFillers {
    public static func fromEnvironment(database: Database, _ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> any VariableFiller
    {
        guard let settings = try ModelSettings.fromEnvironment(environment) else { return ContextPackFiller() }
        var hours = 24
        if let text = environment["GREENLIGHT_LLM_CACHE_HOURS"], !text.isEmpty {
            guard let value = Int(text), (0...8_760).contains(value) else {
                throw ConfigurationError("GREENLIGHT_LLM_CACHE_HOURS must be a whole number of hours from 0 to 8760, got \"\(text)\"")
            }
            hours = value
        }
        let ttl = Duration.seconds(hours * 3600)
        let reader = WebsiteReader(
            fetcher: PageFetcher(addresses: AddressGuard.fromEnvironment(environment)), cache: WebsiteCache(database: database, ttl: ttl))
        return ModelFiller(
            settings: settings, client: ChatClient(settings: settings), reader: reader, cache: AgentCache(database: database, ttl: ttl),
            spend: SpendLedger(database: database))
    }
}
