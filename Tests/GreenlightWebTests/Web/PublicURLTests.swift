@testable import GreenlightCore
@testable import GreenlightWeb
import Testing

/// `GREENLIGHT_PUBLIC_URL` is checked when the server starts: a base the sequencers' webhooks and the
/// one-time links can be built on, or a message naming what is wrong.
@Suite("Public URL")
struct PublicURLTests {
    @Test("an https or http base without query is taken (trailing slash dropped); anything else stops the start with the reason")
    func checked() throws {
        #expect(try PublicURL.fromEnvironment([:]) == nil)
        #expect(try PublicURL.fromEnvironment(["GREENLIGHT_PUBLIC_URL": " https://greenlight.example.com/ "]) == "https://greenlight.example.com")
        #expect(try PublicURL.fromEnvironment(["GREENLIGHT_PUBLIC_URL": "http://10.0.0.5:8080/gl"]) == "http://10.0.0.5:8080/gl")
        for (bad, words) in [
            ("greenlight.example.com", "must start with https://"), ("ftp://x.example", "must start with https://"),
            ("https://", "names no host"), ("https://x.example/?a=1", "no query"), ("https://me@x.example", "no query, fragment or user"),
        ] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try PublicURL.fromEnvironment(["GREENLIGHT_PUBLIC_URL": bad]) }
            do {
                _ = try PublicURL.fromEnvironment(["GREENLIGHT_PUBLIC_URL": bad])
            } catch {
                #expect(error.description.contains(words) && error.description.contains("GREENLIGHT_PUBLIC_URL"), "\(bad): \(error)")
            }
        }
        #expect(PublicURL.base(configured: nil, host: "app.local:8080", secure: true) == "https://app.local:8080")
        #expect(PublicURL.base(configured: "https://g.example", host: "ignored", secure: false) == "https://g.example")
    }
}
