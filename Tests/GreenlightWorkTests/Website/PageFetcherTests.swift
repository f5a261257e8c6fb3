import AsyncHTTPClient
import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The safe fetcher against a website on loopback: the loopback server is allowed by name while
/// every other private, link-local or reserved address stays refused — also behind a redirect;
/// redirects are capped; only HTML under the size cap is read; a silent site times out.
@Suite("Website fetching", .timeLimit(.minutes(15)))
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

            await #expect(throws: WebsiteError.self, "by default loopback is refused") {
                try await PageFetcher(addresses: AddressGuard()).fetch(base + "/")
            }
            do {
                _ = try await PageFetcher(addresses: AddressGuard()).fetch("http://localhost:\(port)/")
                Issue.record("localhost was fetched")
            } catch {
                #expect(
                    "\(error)".contains("localhost: 127.0.0.1 is a private") || "\(error)".contains("localhost: ::1 is a private"),
                    "a name is resolved, then its address checked: \(error)")
            }
            #expect(
                try await PageFetcher(addresses: AddressGuard(allowPrivate: true)).fetch(base + "/").bytes.isEmpty == false,
                "GREENLIGHT_ALLOW_PRIVATE_FETCH=1")
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

    /// One address inside each refused network, by the network as `AddressGuard.refused` writes it.
    static let probes: [String: String] = [
        "0.0.0.0/8": "0.1.2.3", "10.0.0.0/8": "10.200.0.1", "100.64.0.0/10": "100.127.255.254", "127.0.0.0/8": "127.8.9.10",
        "169.254.0.0/16": "169.254.169.254", "172.16.0.0/12": "172.31.255.1", "192.0.0.0/24": "192.0.0.170", "192.0.2.0/24": "192.0.2.55",
        "192.168.0.0/16": "192.168.255.255", "198.18.0.0/15": "198.19.0.1", "198.51.100.0/24": "198.51.100.7", "203.0.113.0/24": "203.0.113.9",
        "224.0.0.0/4": "239.255.255.250", "240.0.0.0/4": "250.1.2.3", "::/128": "::", "::1/128": "::1", "64:ff9b::/96": "64:ff9b::a00:1",
        "64:ff9b:1::/48": "64:ff9b:1::a00:1", "100::/64": "100::1", "2001::/32": "2001:0:4136:e378::1", "2001:db8::/32": "2001:db8::5",
        "2002::/16": "2002:a00:1::1", "fc00::/7": "fd12:3456::1", "fe80::/10": "fe80::1", "fec0::/10": "fec0::1", "ff00::/8": "ff02::1",
    ]

    @Test("one probe inside every refused network is refused, the NAT64, 6to4, Teredo and site-local prefixes included")
    func everyRangeProbed() throws {
        let guardian = AddressGuard()
        let ranges = AddressGuard.refused.map(\.description)
        #expect(Set(ranges) == Set(Self.probes.keys), "a probe for each network: missing \(Set(ranges).subtracting(Self.probes.keys))")
        for range in AddressGuard.refused {
            let probe = try #require(Self.probes[range.description])
            #expect(range.contains(probe), "\(probe) lies in \(range)")
            #expect(
                guardian.refusal(of: probe)?.contains("(\(range))") == true,
                "\(probe) must be refused as \(range): \(guardian.refusal(of: probe) ?? "allowed")")
        }
    }

    @Test("a name is connected to at the address that was checked: a resolver that would answer another address the second time is never asked again")
    func connectsToTheCheckedAddress() async throws {
        // The site is on 127.0.0.2, under a name only the guard's resolver knows: it answers 127.0.0.2, then (as a
        // rebinding DNS would) 127.0.0.1. Without the fetch connecting to the checked address, the HTTP client would
        // resolve the name itself — and find nothing.
        try await FakeWebsite.serving("the checked address", on: "127.0.0.2") { port in
            let asked = Counter()
            let guardian = AddressGuard(alsoAllowed: [try IPAddressRange(parsing: "127.0.0.2/32")]) { name in
                name == "rebind.greenlight.test" ? (asked.next() == 1 ? ["127.0.0.2"] : ["127.0.0.1"]) : []
            }
            let page = try await PageFetcher(addresses: guardian, timeout: .seconds(30)).fetch("http://rebind.greenlight.test:\(port)/")
            #expect(String(decoding: page.bytes, as: UTF8.self).contains("the checked address"), "the fetch reached the address the guard checked")
            #expect(asked.next() == 2, "the name was resolved once, by the guard")
        }
    }

    @Test("which addresses are refused")
    func addresses() {
        let guardian = AddressGuard()
        for refused in [
            "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "127.0.0.1", "0.0.0.0", "100.64.0.1", "224.0.0.1",
            "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::",
        ] {
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
