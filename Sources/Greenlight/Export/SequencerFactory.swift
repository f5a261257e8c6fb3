import AsyncHTTPClient
import Foundation

/// Builds the client for a stored sequencer kind and key, with the base URLs the environment gives
/// (`GREENLIGHT_INSTANTLY_BASE_URL`, `GREENLIGHT_SMARTLEAD_BASE_URL`: tests point them at fakes).
public struct SequencerFactory: Sendable {
    public var instantlyBaseURL: String
    /// Leads per `leads/add` call (Instantly takes up to 1,000).
    public var instantlyBatchLimit = 1_000
    public var httpClient: HTTPClient
    public var policy: RetryPolicy
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(instantlyBaseURL: String = InstantlyClient.defaultBaseURL, httpClient: HTTPClient = .shared,
                policy: RetryPolicy = RetryPolicy(timeout: .seconds(30), maxRetries: 5),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.instantlyBaseURL = instantlyBaseURL
        self.httpClient = httpClient
        self.policy = policy
        self.sleep = sleep
    }

    /// The factory the environment describes.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SequencerFactory {
        SequencerFactory(instantlyBaseURL: environment["GREENLIGHT_INSTANTLY_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? InstantlyClient.defaultBaseURL)
    }

    public func make(kind: String, key: String) throws -> any Sequencer {
        switch kind {
        case "instantly":
            return InstantlyClient(baseURL: instantlyBaseURL, key: key, batchLimit: instantlyBatchLimit, httpClient: httpClient, policy: policy, sleep: sleep)
        default:
            throw ConfigurationError("export to \(kind) is not built yet: use Instantly, or download the CSV")
        }
    }
}
