import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// `greenlight rollout show|set`, `pause` and `resume` as a user runs them: good calls print what
/// changed, bad arguments exit non-zero naming the problem and change nothing.
@Suite("CLI rollout commands", .timeLimit(.minutes(15)))
struct CLIRolloutTests {
    @Test("rollout show and set, pause and resume; bad phases, settings and clients are named")
    func rollout() async throws {
        try await GreenlightProcess.withFolder { cli in
            _ = try await cli.succeed(["client", "add", CLISmokeTests.demo + "/pack"])
            let shown = try await cli.succeed(["rollout", "show", "--client", CLISmokeTests.client])
            #expect(shown.stdout.contains("Northwind Ledger: shadow"), "\(shown)")
            #expect(shown.stdout.contains("Ready for partial: not yet"), "\(shown)")
            #expect(
                shown.stdout.contains("approval_rate:") && shown.stdout.contains("partial_threshold = 90")
                    && shown.stdout.contains("sample_rate = 0.05"), "\(shown)")

            try await cli.fail(
                ["rollout", "set", "--client", CLISmokeTests.client, "--phase", "turbo"], saying: "--phase turbo is not one of shadow, partial, full")
            try await cli.fail(["rollout", "set", "--client", CLISmokeTests.client, "--phase", "partial"], saying: "type a reason to promote anyway")
            try await cli.fail(
                ["rollout", "set", "--client", CLISmokeTests.client, "--phase", "full", "--reason", "x"], saying: "move one phase at a time")
            try await cli.fail(
                ["rollout", "set", "--client", CLISmokeTests.client, "--sample-rate", "3"], saying: "sample_rate must be a fraction from 0 to 1")
            try await cli.fail(
                ["rollout", "set", "--client", CLISmokeTests.client, "--setting", "speed=3"], saying: "speed is not a rollout setting")
            try await cli.fail(["rollout", "set", "--client", CLISmokeTests.client], saying: "nothing to change")
            try await cli.fail(["rollout", "show", "--client", "Nobody"], saying: "no client named \"Nobody\"")
            #expect(
                try await cli.succeed(["rollout", "show", "--client", CLISmokeTests.client]).stdout.contains("Northwind Ledger: shadow"),
                "nothing changed")

            let promoted = try await cli.succeed([
                "rollout", "set", "--client", CLISmokeTests.client, "--phase", "partial", "--partial-threshold", "88", "--reason", "pilot",
            ])
            #expect(promoted.stdout.contains("Northwind Ledger: promote to partial.") && promoted.stdout.contains("settings saved"), "\(promoted)")
            #expect(try await cli.succeed(["rollout", "show", "--client", CLISmokeTests.client]).stdout.contains("partial_threshold = 88"))

            #expect(
                try await cli.succeed(["pause", "--client", CLISmokeTests.client, "--reason", "complaint"]).stdout.contains(
                    "paused for Northwind Ledger"))
            #expect(
                try await cli.succeed(["rollout", "show", "--client", CLISmokeTests.client]).stdout.contains("Northwind Ledger: partial (paused)"))
            #expect(try await cli.succeed(["resume", "--client", CLISmokeTests.client]).stdout.contains("Northwind Ledger resumed."))
            #expect(try await cli.succeed(["pause"]).stdout.contains("paused for every client"))
            #expect(try await cli.succeed(["rollout", "show", "--client", CLISmokeTests.client]).stdout.contains("(paused for every client)"))
            #expect(try await cli.succeed(["resume"]).stdout.contains("The pause on every client is lifted"))
            try await cli.fail(["pause", "--client", "Nobody"], saying: "no client named \"Nobody\"")
        }
    }
}
