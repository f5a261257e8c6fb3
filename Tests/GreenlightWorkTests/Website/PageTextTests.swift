import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// Web pages read as text with libxml2: what a prospect's site says reaches the agents; scripts,
/// styles, navigation, footers, forms, hidden parts and cookie banners do not; quotes keep their
/// attribution; the charset is honoured; the text is capped at a word.
@Suite("Website text")
struct PageTextTests {
    /// A home page like a small B2B company's (written for the test).
    static let home = """
        <!DOCTYPE html>
        <html lang="fr"><head><meta charset="utf-8"><title>Quaylink — freight booking for  small forwarders</title>
        <style>body{font-family:sans-serif} .cookie{position:fixed}</style>
        <script>window.dataLayer=window.dataLayer||[];gtag('js',new Date());</script>
        <script type="application/ld+json">{"@type":"Organization","name":"Quaylink","numberOfEmployees":"70"}</script>
        </head><body>
        <div class="cookie" id="cookie-banner">Nous utilisons des cookies pour mesurer l'audience. <button>Accepter</button></div>
        <div id="consent-manager" class="cmp-box">Paramétrer vos préférences de consentement</div>
        <header class="site"><a href="/"><img alt="Quaylink"></a><nav><a href="/">Accueil</a> <a href="/customers.html">Clients</a> <a href="/about.html">À propos</a></nav></header>
        <header><h1>Quaylink : freight booking for small forwarders</h1><p>Le logiciel de réservation de fret de 70 transitaires à Marseille &amp; Lyon.</p></header>
        <main>
        <section><h2>Pourquoi Quaylink ?</h2>
        <ul><li>Cotations en 2 minutes</li><li>Intégrations CargoWise &amp; Magaya</li></ul></section>
        <section class="testimonials"><h2>Ils parlent de nous</h2>
        <blockquote>« Nous traitons 40 % de dossiers en plus. » <cite>— Léa Martin, Head of Operations chez Portaxe</cite></blockquote>
        </section>
        <div hidden>Texte caché pour les robots</div><p aria-hidden="true">Décor</p>
        <form action="/newsletter"><label>Email</label><input name="email"><button>S'inscrire</button></form>
        <p>Voir nos <a href="/case-studies/portaxe">études de cas</a>.</p>
        </main>
        <footer><p>© 2026 Quaylink SAS — Mentions légales</p></footer>
        <script src="/static/app.js" defer></script>
        </body></html>
        """

    @Test("the page's words and structure; none of its chrome")
    func readsTheContent() {
        let page = PageText.read(Array(Self.home.utf8), url: "https://quaylink.example/")
        #expect(page.title == "Quaylink — freight booking for small forwarders")
        #expect(
            page.text == """
                Quaylink : freight booking for small forwarders
                Le logiciel de réservation de fret de 70 transitaires à Marseille & Lyon.
                Pourquoi Quaylink ?
                - Cotations en 2 minutes
                - Intégrations CargoWise & Magaya
                Ils parlent de nous
                « Nous traitons 40 % de dossiers en plus. » — Léa Martin, Head of Operations chez Portaxe
                Voir nos études de cas.
                """, "\(page.text)")
        for chrome in [
            "cookies", "consentement", "dataLayer", "numberOfEmployees", "font-family", "Accueil", "Mentions", "caché", "Décor", "S'inscrire",
            "Email",
        ] {
            #expect(!page.text.contains(chrome), "\"\(chrome)\" stays out")
        }
        #expect(
            page.links.map(\.href) == ["/", "/", "/customers.html", "/about.html", "/case-studies/portaxe"],
            "links are kept, even in the chrome, to find the customers and about pages")
        #expect(page.links.last?.text == "études de cas" && !page.truncated)
    }

    @Test("the charset the page declares, or the one the answer names, decides how bytes are read")
    func charsets() {
        let latin1: [UInt8] =
            Array("<html><head><meta charset=\"iso-8859-1\"><title>Caf".utf8) + [0xE9] + Array("</title></head><body><p>Cr".utf8) + [0xE8]
            + Array("me br".utf8) + [0xFB] + Array("l".utf8) + [0xE9] + Array("e</p></body></html>".utf8)
        let declared = PageText.read(latin1)
        #expect(declared.title == "Café" && declared.text == "Crème brûlée", "\(declared)")
        let undeclared: [UInt8] = Array("<html><body><p>".utf8) + [0xE9, 0x74, 0xE9] + Array("</p></body></html>".utf8)
        #expect(PageText.read(undeclared, encoding: "ISO-8859-1").text == "été")
        let broken: [UInt8] =
            Array("<html><head><meta charset=\"utf-8\"></head><body><p>ok ".utf8) + [0xFF, 0xFE] + Array(" still read</p></body></html>".utf8)
        #expect(PageText.read(broken).text.contains("still read"), "bytes that break the declared charset do not stop the reading")
    }

    @Test("capped at a word, with a mark; entities from outside never loaded; nothing at all is not an error")
    func capAndSafety() {
        let long = "<html><body>" + (1...400).map { "<p>Paragraphe numéro \($0) sur la logistique urbaine.</p>" }.joined() + "</body></html>"
        let page = PageText.read(Array(long.utf8), cap: 5_000)
        #expect(page.truncated && page.text.count <= 5_002 && page.text.hasSuffix(" …") && page.text.hasPrefix("Paragraphe numéro 1 "))
        let external = """
            <!DOCTYPE html [<!ENTITY secret SYSTEM "file:///etc/hostname">]><html><body><p>before &secret; after</p></body></html>
            """
        let read = PageText.read(Array(external.utf8))
        #expect(read.text.contains("before") && read.text.contains("after"))
        let hostname = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "\u{0}"
        #expect(!read.text.contains(hostname) || hostname.isEmpty, "a file named by an entity is never read")
        #expect(PageText.read([]) == PageText(title: "", text: "", links: [], truncated: false))
        #expect(PageText.read(Array("not html at all".utf8)).text == "not html at all")
    }
}
