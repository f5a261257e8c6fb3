import AsyncHTTPClient
import Foundation
import GreenlightCore
import GreenlightWork

/// Builds the client for a stored sequencer kind and key, with the base URLs the environment gives
/// (`GREENLIGHT_INSTANTLY_BASE_URL`, `GREENLIGHT_SMARTLEAD_BASE_URL`: tests point them at fakes).
public struct SequencerFactory: Sendable {
    public var instantlyBaseURL: String
    public var smartleadBaseURL: String
    /// Leads per `leads/add` call (Instantly takes up to 1,000).
    public var instantlyBatchLimit = 1_000
    /// Leads per upload (Smartlead takes up to 400).
    public var smartleadBatchLimit = 400
    public var httpClient: HTTPClient
    public var policy: RetryPolicy
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Now, for what depends on the date (which of Instantly's zone names keeps a zone's clock).
    public var clock: TimeSource

    public init(
        instantlyBaseURL: String = InstantlyClient.defaultBaseURL, smartleadBaseURL: String = SmartleadClient.defaultBaseURL,
        httpClient: HTTPClient = .shared, policy: RetryPolicy = RetryPolicy(timeout: .seconds(30), maxRetries: 5),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }, clock: TimeSource = .system
    ) {
        self.clock = clock
        self.instantlyBaseURL = instantlyBaseURL
        self.smartleadBaseURL = smartleadBaseURL
        self.httpClient = httpClient
        self.policy = policy
        self.sleep = sleep
    }

    /// The factory the environment describes.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SequencerFactory {
        func url(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        return SequencerFactory(
            instantlyBaseURL: url("GREENLIGHT_INSTANTLY_BASE_URL") ?? InstantlyClient.defaultBaseURL,
            smartleadBaseURL: url("GREENLIGHT_SMARTLEAD_BASE_URL") ?? SmartleadClient.defaultBaseURL)
    }

    /// The same factory with one batch limit for every sequencer (tests and benchmarks use small ones).
    public func batches(of limit: Int) -> SequencerFactory {
        var copy = self
        copy.instantlyBatchLimit = limit
        copy.smartleadBatchLimit = limit
        return copy
    }

    /// What reads outcomes back from the sequencer: Instantly's API; nil for Smartlead, whose API lets
    /// no secret travel with a webhook it creates and whose per-lead outcome fields are unconfirmed
    /// (its webhooks, added in Smartlead with the address and secret Greenlight shows, are read), and
    /// for CSV.
    public func outcomeReader(kind: SequencerKind, key: String) -> (any OutcomeReader)? {
        guard kind == .instantly else { return nil }
        return InstantlyClient(
            baseURL: instantlyBaseURL, key: key, batchLimit: instantlyBatchLimit, httpClient: httpClient, policy: policy, sleep: sleep, clock: clock)
    }

    public func make(kind: SequencerKind, key: String) throws -> any Sequencer {
        switch kind {
        case .instantly:
            return InstantlyClient(
                baseURL: instantlyBaseURL, key: key, batchLimit: instantlyBatchLimit, httpClient: httpClient, policy: policy, sleep: sleep,
                clock: clock)
        case .smartlead:
            return SmartleadClient(
                baseURL: smartleadBaseURL, key: key, batchLimit: smartleadBatchLimit, httpClient: httpClient, policy: policy, sleep: sleep)
        case .csv:
            throw ConfigurationError("\(kind.rawValue) has no API export: use Instantly or Smartlead, or download the CSV")
        }
    }
}
