import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Hummingbird
import Mustache
import NIOEmbedded
import Testing
import GreenlightTestSupport

/// The view models answer Mustache's lookups themselves (no `Mirror`); every stored property must be reachable.
@Suite("View model lookups")
struct ViewModelLookupTests {
    static func check(_ value: some MustacheParent, _ type: String) {
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            let direct = value.child(named: label)
            let isNil = Mirror(reflecting: child.value).displayStyle == .optional && Mirror(reflecting: child.value).children.isEmpty
            #expect(isNil || direct != nil, "\(type).\(label) is not answered by child(named:)")
            if let direct {
                #expect(
                    String(describing: direct) == String(describing: child.value)
                        || String(describing: Optional(direct)) == String(describing: child.value),
                    "\(type).\(label) answers another value")
            }
        }
    }

    @Test func everyPropertyIsFound() async throws {
        try await TestDatabase.with(.sqlite) { database in
            _ = try await Seed.make(database, contacts: 1)
            var email = try #require(try await ReviewQueue(database: database).page(QueueFilter()).emails.first)
            email.finalBody = email.body + " extra words"
            email.reviewerName = "Sam"
            email.rejectionReason = .other
            email.rejectionDetails = "details"
            let card = CardView(email, viewerID: 1, csrf: "t", returnTo: "/review", full: true, now: TimeSource.system.nowMillis())
            Self.check(card, "CardView")
            Self.check(try #require(card.variables.first), "VariableView")
            Self.check(try #require(card.deductions.first), "DeductionView")
            Self.check(try #require(card.diff.first), "DiffView")
            let piece = CardText.Piece(
                text: "x", flagged: true, opens: .init(name: "n", confidence: "low"), closes: .init(name: "n", confidence: "low"))
            Self.check(piece, "CardText.Piece")
            Self.check(try #require(piece.opens), "CardText.Mark")
            var context = AppRequestContext(source: .init(channel: EmbeddedChannel(), logger: TestDatabase.logger))
            context.user = User(id: 1, email: "sam@x.example", name: "Sam", role: .admin)
            context.session = UserSession(userID: 1, createdAt: 0)
            let chrome = PageChrome(title: "T", context: context, notice: "n", section: .init(review: true))
            Self.check(chrome, "PageChrome")
            Self.check(chrome.section, "PageChrome.Section")
            let option = QueuePage.Option(value: "1", label: "One", selected: true)
            Self.check(option, "QueuePage.Option")
            let page = QueuePage(
                page: chrome, flash: "f", flashIsError: true, undoID: 1, doneToday: "2", left: "3", leftCount: 3, awaitingOnly: true,
                cardsSlot: "slot", hasCards: true, canBulk: true, total: "1", totalText: "1 email", shownFrom: 1, shownTo: 1, nextURL: "/n",
                firstURL: "/f", clients: [option], templates: [option], statuses: [option], batch: "1", from: "2026-01-01",
                to: "2026-01-02", minScore: "1", maxScore: "2", search: "q", reviewer: "2", hasFilters: true, returnTo: "/review", csrf: "c",
                filterError: "e")
            Self.check(page, "QueuePage")
        }
    }
}

@Suite("HTML escaping")
struct HTMLEscapingTests {
    @Test func escapesExactlyLikeMustache() async throws {
        let samples = [
            "plain", "", "<script>alert('x') & \"y\"</script>", "Zoë — café <b>", "👩🏽‍💻 & <", "a'b\"c>d<e&f", String(repeating: "é<", count: 500),
        ]
        let library = try MustacheLibrary(templates: ["slow": try MustacheTemplate(string: "{{value}}")])
        for sample in samples {
            let expected = library.render(["value": sample], withTemplate: "slow")
            #expect(FastHTMLContentType.escape(sample) == expected, "\(sample.prefix(30))")
        }
    }

    @Test("every template uses the fast escaper, and it still escapes")
    func templatesOptIn() throws {
        let views = TestDatabase.paths.views
        let files = FileManager.default.enumerator(atPath: views)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".mustache") } ?? []
        #expect(files.count >= 10)
        for file in files {
            let text = try String(contentsOfFile: views + "/" + file, encoding: .utf8)
            #expect(text.hasPrefix("{{% CONTENT_TYPE: GREENLIGHT_HTML }}"), "\(file)")
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(file) outputs unescaped text")
        }
    }
}
