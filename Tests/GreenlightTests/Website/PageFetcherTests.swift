import AsyncHTTPClient
import Foundation
@testable import Greenlight
import Testing

/// The safe fetcher against a website on loopback: the loopback server is allowed by name while
/// every other private, link-local or reserved address stays refused — also behind a redirect;
/// redirects are capped; only HTML under the size cap is read; a silent site times out.
@Suite("Website fetching", .timeLimit(.minutes(5)))
struct PageFetcherTests {
    /// Loopback 127.0.0.1 allowed (the test server), everything else private refused.
    static let guardForTests = AddressGuard(alsoAllowed: [try! IPAddressRange(parsing: "127.0.0.1/32")])

    @Test("a page, a redirect followed, the charset its answer names; hostile answers refused with the reason")
    func fetches() async throws {
        try await FakeWebsite.run { base, port in
            // Answers that come are given 30 s: lateness is not what these cases test, and a full run on
            // two loaded cores can hold a loopback answer for seconds. Only the silent site gets a short timeout.
            let fetcher = PageFetcher(addresses: Self.guardForTests, timeout: .seconds(30), bodyLimit: 1 << 20)
            let page = try await fetcher.fetch(base + "/moved")
            #expect(page.url == base + "/" && PageText.read(page.bytes, encoding: page.charset).text.contains("70 transitaires nous font confiance."))
            let latin = try await fetcher.fetch(base + "/latin1")
            #expect(latin.charset == "ISO-8859-1" && PageText.read(latin.bytes, encoding: latin.charset).text == "Crème")

            let cases: [(String, String)] = [
                (base + "/loop/0", "redirects more than 3 times"),
                (base + "/to-private", "10.0.0.1 is a private, loopback, link-local or reserved address"),
                (base + "/to-metadata", "169.254.169.254 is a private, loopback, link-local or reserved address"),
                ("http://127.0.0.2:\(port)/", "127.0.0.2 is a private, loopback, link-local or reserved address"),
                ("ftp://\("127.0.0.1"):\(port)/", "only http and https are fetched"),
                (base + "/huge", "is larger than 1024 KB"),
                (base + "/data.json", "is application/json, not HTML"),
                (base + "/missing", "answered 404"),
            ]
            for (url, reason) in cases {
                do {
                    let page = try await fetcher.fetch(url)
                    Issue.record("\(url) was fetched (\(page.bytes.count) bytes): it should be refused with \"\(reason)\"")
                } catch {
                    #expect("\(error)".contains(reason), "\(url): \(error)")
                }
            }
            let silent = PageFetcher(addresses: Self.guardForTests, timeout: .milliseconds(300))
            await #expect(throws: WebsiteError.self) { try await silent.fetch(base + "/slow") }
            do { _ = try await silent.fetch(base + "/slow") } catch { #expect("\(error)".contains("did not answer within"), "\(error)") }

            await #expect(throws: WebsiteError.self, "by default loopback is refused") { try await PageFetcher(addresses: AddressGuard()).fetch(base + "/") }
            do {
                _ = try await PageFetcher(addresses: AddressGuard()).fetch("http://localhost:\(port)/")
                Issue.record("localhost was fetched")
            } catch {
                #expect("\(error)".contains("localhost: 127.0.0.1 is a private") || "\(error)".contains("localhost: ::1 is a private"), "a name is resolved, then its address checked: \(error)")
            }
            #expect(try await PageFetcher(addresses: AddressGuard(allowPrivate: true)).fetch(base + "/").bytes.isEmpty == false, "GREENLIGHT_ALLOW_PRIVATE_FETCH=1")
        }
    }

    @Test("a timeout while connecting or reading reads as silence, like the overall deadline; other failures do not")
    func timeouts() {
        for error in [HTTPClientError.connectTimeout, .readTimeout, .deadlineExceeded] {
            #expect(error.isTimeout, "\(error)")
        }
        for error in [HTTPClientError.remoteConnectionClosed, .cancelled, .invalidURL] {
            #expect(!error.isTimeout, "\(error)")
        }
    }

    @Test("which addresses are refused")
    func addresses() {
        let guardian = AddressGuard()
        for refused in ["10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "127.0.0.1", "0.0.0.0", "100.64.0.1", "224.0.0.1",
                        "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::"] {
            #expect(guardian.refusal(of: refused) != nil, "\(refused) must be refused")
        }
        for allowed in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34"] {
            #expect(guardian.refusal(of: allowed) == nil, "\(allowed) is public")
        }
        #expect(AddressGuard.fromEnvironment(["GREENLIGHT_ALLOW_PRIVATE_FETCH": "1"]).refusal(of: "10.0.0.1") == nil)
        #expect(AddressGuard.fromEnvironment([:]).refusal(of: "10.0.0.1") != nil)
        #expect(AddressGuard.resolve("localhost").contains { $0 == "127.0.0.1" || $0 == "::1" })
    }
}
