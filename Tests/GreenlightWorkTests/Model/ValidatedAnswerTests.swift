import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// An answer that breaks the writers' rules is asked again at most twice, each time with the model's
/// last answer and what was wrong; then the asking gives up with every reason.
@Suite("Validated agent answers")
struct ValidatedAnswerTests {
    static let fields = [ValidatedAnswer.Field("target_persona", .lowerCase), ValidatedAnswer.Field("confidence", .number(1...5))]

    @Test("an invalid answer is asked again with the problem fed back; the third valid one is kept")
    func retriesWithFeedback() async throws {
        try await FakeModel.run { fake, base in
            fake.queue(
                .object(["target_persona": "VP Sales", "confidence": 4]), .text("not json at all"),
                .object(["target_persona": "vp sales", "confidence": 4], promptTokens: 300, completionTokens: 10))
            let outcome = await ValidatedAnswer(client: ChatClientTests.client(base))
                .ask(model: "small-1", messages: ChatClientTests.question, schemaName: "persona_output", fields: Self.fields)
            #expect(outcome.fields == ["target_persona": "vp sales", "confidence": "4"] && outcome.calls == 3, "\(outcome)")
            #expect(outcome.problems.count == 2 && outcome.problems[0].contains("write it in lower case (\"vp sales\", not \"VP Sales\")"))
            #expect(
                fake.messages(1).suffix(2) == [
                    "assistant: {\"confidence\":4,\"target_persona\":\"VP Sales\"}",
                    "user: That answer breaks a rule: \(outcome.problems[0]). Answer again with the whole JSON object, corrected.",
                ]
                    || fake.messages(1).contains { $0.contains("That answer breaks a rule: \"target_persona\" sits mid-sentence") },
                "\(fake.messages(1))")
            #expect(fake.messages(2).contains { $0.hasPrefix("user: Your last answer could not be read: the content is not a JSON object") })
            #expect(outcome.promptTokens == 100 + 10 + 300, "every answered call is counted: \(outcome.promptTokens)")
        }
    }

    @Test("three invalid answers: no fields, three reasons, no fourth call; a refused key stops at once")
    func givesUp() async throws {
        try await FakeModel.run { fake, base in
            fake.queue(
                .object(["target_persona": "N/A", "confidence": 3]), .object(["target_persona": "innovative leaders", "confidence": 3]),
                .object(["target_persona": "cfo"]))
            let outcome = await ValidatedAnswer(client: ChatClientTests.client(base))
                .ask(model: "small-1", messages: ChatClientTests.question, schemaName: "persona_output", fields: Self.fields)
            #expect(outcome.fields == nil && outcome.calls == 3 && fake.requests.count == 3)
            #expect(
                outcome.problems.map { $0.prefix(40) } == [
                    "\"target_persona\" is \"N/A\": never a place", "\"target_persona\" uses the corporate jarg",
                    "\"confidence\" is missing",
                ], "\(outcome.problems)")
            fake.queue(.status(401))
            let refused = await ValidatedAnswer(client: ChatClientTests.client(base))
                .ask(model: "small-1", messages: ChatClientTests.question, schemaName: "persona_output", fields: Self.fields)
            #expect(refused.calls == 1 && refused.problems.first?.contains("refused the API key (401)") == true)
        }
    }

    @Test("the style rules, one by one")
    func rules() {
        let rules = AgentOutputRules()
        let cases: [(String, AgentOutputRules.Style, String?)] = [
            ("head of finance", .lowerCase, nil),
            ("Head of Finance", .lowerCase, "write it in lower case"),
            ("", .plain, "is empty"),
            ("  n/a ", .plain, "never a placeholder"),
            ("Unknown", .plain, "never a placeholder"),
            ("a world-class ap team", .plain, "jargon \"world-class\""),
            ("Pennylane", .plain, nil),
            ("logistics firms with 50+ drivers", .signal, nil),
            ("hiring accounts payable clerks in france", .signal, "starts with the verb \"hiring\""),
            ("companies that are growing very fast in several european markets this year now", .signal, "has 13 words"),
            ("4", .number(1...5), nil),
            ("9", .number(1...5), "from 1 to 5"),
            ("high", .number(1...5), "from 1 to 5"),
        ]
        for (value, style, expected) in cases {
            let problem = rules.problem(field: "f", value: value, style: style)
            if let expected {
                #expect(problem?.contains(expected) == true, "\"\(value)\": \(problem ?? "no problem found")")
            } else {
                #expect(problem == nil, "\"\(value)\": \(problem ?? "")")
            }
        }
    }
}
