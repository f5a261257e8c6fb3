import Foundation
import GreenlightCore
import GreenlightWork

/// Connects a client's sequencer to Greenlight's webhook: makes the client's webhook address
/// (``OutcomeHooks``) and, where the vendor's API can (Instantly), creates the webhook there for every
/// event, its secret in a header; reads and resumes it. For Smartlead the address and secret are
/// shown to paste into its webhook settings (its API sets no secret on a webhook it creates).
public struct OutcomeSubscription: Sendable {
    /// What connecting did.
    public struct Connected: Sendable {
        public var made: OutcomeHooks.Made
        public var instantlyURL: String
        public var smartleadURL: String
        /// The webhook created at the vendor, when Greenlight could create it.
        public var vendorID: String?
        /// Why it was not subscribed through the API, when it was not.
        public var note: String?
    }

    let database: Database
    let secrets: ClientSecrets
    let factory: SequencerFactory
    let clock: TimeSource

    public init(database: Database, secrets: ClientSecrets, factory: SequencerFactory, clock: TimeSource = .system) {
        self.database = database
        self.secrets = secrets
        self.factory = factory
        self.clock = clock
    }

    /// Makes the client's webhook address under `base` (e.g. `GREENLIGHT_PUBLIC_URL`) and subscribes
    /// it at the client's sequencer when its API can. A refused subscription leaves the address made
    /// (to paste by hand) and says why.
    public func connect(clientID: Int, clientName: String, base: String, userID: Int?) async throws -> Connected {
        let hooks = OutcomeHooks(database: database, clock: clock)
        let made = try await hooks.make(clientID: clientID, userID: userID)
        var connected = Connected(
            made: made, instantlyURL: "\(base)/hooks/instantly/\(made.token)", smartleadURL: "\(base)/hooks/smartlead/\(made.token)")
        let keys = try await secrets.get(clientID: clientID)
        guard let kind = keys.sequencerKind, let key = keys.sequencerKey else {
            connected.note = "No sequencer is connected: add the webhook in your sequencer with the address below."
            return connected
        }
        guard let reader = factory.outcomeReader(kind: kind, key: key) else {
            connected.note = "Add the webhook in \(kind.rawValue.capitalized)'s settings with the Smartlead address and secret below."
            return connected
        }
        do {
            let id = try await reader.subscribe(url: connected.instantlyURL, secret: made.secret, name: "Greenlight - \(clientName)")
            try await hooks.subscribed(clientID: clientID, vendor: kind.rawValue, id: id, userID: userID)
            connected.vendorID = id
        } catch {
            connected.note = "\(kind.rawValue.capitalized) did not create the webhook (\(error)): add it by hand with the Instantly address below."
        }
        return connected
    }

    /// Reads the state of the webhook Greenlight subscribed for the client and keeps it; nil when it
    /// subscribed none.
    @discardableResult
    public func refresh(clientID: Int) async throws -> WebhookState? {
        guard let (reader, subscription) = try await subscribed(clientID: clientID) else { return nil }
        let state = try await reader.webhookState(id: subscription.id)
        try await OutcomeHooks(database: database, clock: clock).checked(clientID: clientID, state: state.rawValue)
        return state
    }

    /// Resumes the client's webhook the vendor disabled; audited.
    public func resume(clientID: Int, userID: Int?) async throws {
        guard let (reader, subscription) = try await subscribed(clientID: clientID) else {
            throw InputError(field: "webhook", "Greenlight subscribed no webhook for this client: make the webhook address first")
        }
        try await reader.resumeWebhook(id: subscription.id)
        try await OutcomeHooks(database: database, clock: clock).checked(clientID: clientID, state: WebhookState.active.rawValue)
        try await AuditLog(database: database, clock: clock).record(
            userID: userID, action: "webhook resumed", target: "client \(clientID)", details: "\(subscription.vendor) webhook \(subscription.id)")
    }

    private func subscribed(clientID: Int) async throws -> (any OutcomeReader, OutcomeHooks.Subscription)? {
        guard let subscription = try await OutcomeHooks(database: database, clock: clock).subscription(clientID: clientID) else { return nil }
        let keys = try await secrets.get(clientID: clientID)
        guard let kind = keys.sequencerKind, kind.rawValue == subscription.vendor, let key = keys.sequencerKey,
            let reader = factory.outcomeReader(kind: kind, key: key)
        else { return nil }
        return (reader, subscription)
    }
}
