import Foundation
import GreenlightCore

/// Where the model is and what it may cost: any OpenAI-compatible chat-completions server.
/// Read from the environment (`GREENLIGHT_LLM_*`); a value that is wrong is named, never guessed.
/// The key is kept out of every description and log line.
public struct ModelSettings: Sendable, Equatable, CustomStringConvertible {
    /// Price of a million tokens sent and received, in dollars.
    public struct Price: Sendable, Equatable {
        public var input: Double
        public var output: Double
    }

    /// Base URL ending before `/chat/completions`, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`.
    public var baseURL: String
    public var apiKey: String?
    /// For persona, competitor, pain point and case study.
    public var smallModel: String
    /// For signal and system.
    public var largeModel: String
    /// Calls in flight at once.
    public var concurrency: Int
    /// Calls started per minute at most.
    public var requestsPerMinute: Int
    /// Price per model name; a model missing here costs 0 (said on the spend page).
    public var prices: [String: Price]
    /// The longest one call may take.
    public var timeout: Duration

    public init(
        baseURL: String, apiKey: String? = nil, smallModel: String, largeModel: String, concurrency: Int = 8, requestsPerMinute: Int = 600,
        prices: [String: Price] = [:], timeout: Duration = .seconds(60)
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.smallModel = smallModel
        self.largeModel = largeModel
        self.concurrency = concurrency
        self.requestsPerMinute = requestsPerMinute
        self.prices = prices
        self.timeout = timeout
    }

    public var description: String {
        "\(baseURL) (small \(smallModel), large \(largeModel), \(concurrency) at once, \(requestsPerMinute)/min, key \(apiKey == nil ? "none" : "set"))"
    }

    /// The settings the environment gives, nil when `GREENLIGHT_LLM_BASE_URL` is not set (no model:
    /// drafts come from the context pack). Throws naming the variable that is wrong.
    ///
    /// `GREENLIGHT_LLM_PRICES` is `model=input/output` pairs in dollars per million tokens, separated
    /// by commas: `gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError)
        -> ModelSettings?
    {
        func value(_ name: String) -> String? {
            environment[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let base = value("GREENLIGHT_LLM_BASE_URL") else { return nil }
        guard let url = URL(string: base), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw ConfigurationError("GREENLIGHT_LLM_BASE_URL must be an http or https URL such as https://api.openai.com/v1, got \"\(base)\"")
        }
        guard let small = value("GREENLIGHT_LLM_MODEL_SMALL") else {
            throw ConfigurationError(
                "GREENLIGHT_LLM_MODEL_SMALL is not set: name the model for the persona, competitor, pain point and case study agents")
        }
        let large = value("GREENLIGHT_LLM_MODEL_LARGE") ?? small
        func number(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
            }
            return number
        }
        return ModelSettings(
            baseURL: base, apiKey: value("GREENLIGHT_LLM_API_KEY"), smallModel: small, largeModel: large,
            concurrency: try number("GREENLIGHT_LLM_CONCURRENCY", default: 8, range: 1...256),
            requestsPerMinute: try number("GREENLIGHT_LLM_REQUESTS_PER_MINUTE", default: 600, range: 1...100_000),
            prices: try prices(value("GREENLIGHT_LLM_PRICES") ?? ""),
            timeout: .seconds(try number("GREENLIGHT_LLM_TIMEOUT_SECONDS", default: 60, range: 1...600)))
    }

    /// Reads `model=input/output,…`.
    static func prices(_ text: String) throws(ConfigurationError) -> [String: Price] {
        var result: [String: Price] = [:]
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            let amounts = parts.count == 2 ? parts[1].split(separator: "/").map { Double($0.trimmingCharacters(in: .whitespaces)) } : []
            guard parts.count == 2, !parts[0].isEmpty, amounts.count == 2, let input = amounts[0], let output = amounts[1], input >= 0, output >= 0
            else {
                throw ConfigurationError(
                    "GREENLIGHT_LLM_PRICES: \"\(entry)\" is not model=input/output in dollars per million tokens (e.g. gpt-4o-mini=0.15/0.60)")
            }
            result[parts[0]] = Price(input: input, output: output)
        }
        return result
    }

    /// The cost in dollars of one call's tokens.
    public func cost(model: String, promptTokens: Int, completionTokens: Int) -> Double {
        guard let price = prices[model] else { return 0 }
        return (Double(promptTokens) * price.input + Double(completionTokens) * price.output) / 1_000_000
    }
}
