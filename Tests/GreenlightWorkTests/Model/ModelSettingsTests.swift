import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The model's configuration from the environment: none without a base URL; every wrong value named.
@Suite("Model settings")
struct ModelSettingsTests {
    @Test("read from the environment, every wrong value named, the key never shown")
    func environment() throws {
        #expect(try ModelSettings.fromEnvironment([:]) == nil, "no base URL: no model, drafts from the context pack")
        let good = try #require(
            try ModelSettings.fromEnvironment([
                "GREENLIGHT_LLM_BASE_URL": "http://127.0.0.1:11434/v1/", "GREENLIGHT_LLM_API_KEY": "sk-secret",
                "GREENLIGHT_LLM_MODEL_SMALL": "llama3.1:8b",
                "GREENLIGHT_LLM_CONCURRENCY": "16", "GREENLIGHT_LLM_PRICES": "llama3.1:8b=0.10/0.20, big=2.5/10",
            ]))
        #expect(
            good.baseURL == "http://127.0.0.1:11434/v1" && good.largeModel == "llama3.1:8b" && good.concurrency == 16 && good.requestsPerMinute == 600
        )
        #expect(
            abs(good.cost(model: "big", promptTokens: 1_000_000, completionTokens: 100_000) - 3.5) < 1e-9
                && good.cost(model: "other", promptTokens: 5, completionTokens: 5) == 0)
        #expect(!good.description.contains("sk-secret"))
        let wrong: [([String: String], String)] = [
            (["GREENLIGHT_LLM_BASE_URL": "ftp://x"], "GREENLIGHT_LLM_BASE_URL must be an http or https URL"),
            (["GREENLIGHT_LLM_BASE_URL": "https://api.openai.com/v1"], "GREENLIGHT_LLM_MODEL_SMALL is not set"),
            (
                ["GREENLIGHT_LLM_BASE_URL": "https://api.openai.com/v1", "GREENLIGHT_LLM_MODEL_SMALL": "m", "GREENLIGHT_LLM_CONCURRENCY": "0"],
                "GREENLIGHT_LLM_CONCURRENCY must be a whole number from 1 to 256, got \"0\""
            ),
            (
                ["GREENLIGHT_LLM_BASE_URL": "https://api.openai.com/v1", "GREENLIGHT_LLM_MODEL_SMALL": "m", "GREENLIGHT_LLM_PRICES": "m=cheap"],
                "GREENLIGHT_LLM_PRICES: \"m=cheap\" is not model=input/output"
            ),
        ]
        for (environment, message) in wrong {
            #expect(throws: ConfigurationError.self, "\(environment)") { try ModelSettings.fromEnvironment(environment) }
            do { _ = try ModelSettings.fromEnvironment(environment) } catch { #expect(error.message.contains(message), "\(error.message)") }
        }
    }
}
