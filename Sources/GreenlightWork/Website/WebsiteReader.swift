import Foundation

/// A prospect's site as text for the agents: the home page, then up to two pages it links
/// to on the same site that say who the customers are or what the company is (customers, clients,
/// references, case studies, about), read with ``PageText`` and capped together at about `cap`
/// characters. A page that fails is skipped; a home page that fails makes the site unread, with why.
public struct WebsiteReader: Sendable {
    /// What reading a site came to: its text (nil when nothing could be read) and what went wrong.
    public struct Reading: Sendable, Equatable {
        public var text: String?
        public var problems: [String]
    }

    let fetcher: PageFetcher
    let cap: Int
    let cache: WebsiteCache?

    /// Words in a link's path or text that point at a page worth reading.
    static let wanted = [
        "customer", "client", "reference", "case", "etude", "étude", "temoignage", "témoignage", "testimonial", "about", "propos", "qui-sommes",
    ]

    /// - Parameter cache: keeps each domain's reading (nil: every contact's site is fetched).
    public init(fetcher: PageFetcher, cap: Int = 5_000, cache: WebsiteCache? = nil) {
        self.fetcher = fetcher
        self.cap = cap
        self.cache = cache
    }

    /// The site's text, from the cache when its domain was read lately.
    public func read(_ website: String) async -> Reading {
        let address = website.trimmingCharacters(in: .whitespaces)
        guard !address.isEmpty else { return Reading(text: nil, problems: ["the contact has no website"]) }
        let domain = CompanyKey.of(website: address, companyName: "")
        if let cache, let kept = try? await cache.get(domain) { return kept }
        let reading = await fetch(address)
        if let cache { try? await cache.put(domain, reading) }
        return reading
    }

    private func fetch(_ address: String) async -> Reading {
        let home: PageFetcher.Page
        do { home = try await fetcher.fetch(address) } catch { return Reading(text: nil, problems: [error.description]) }
        let first = PageText.read(home.bytes, url: home.url, encoding: home.charset, cap: cap)
        var parts = [first.text]
        var problems: [String] = []
        for link in Self.pagesWorthReading(first.links, from: home.url).prefix(2) {
            do {
                let page = try await fetcher.fetch(link)
                let text = PageText.read(page.bytes, url: page.url, encoding: page.charset, cap: cap).text
                if !text.isEmpty { parts.append(text) }
            } catch {
                problems.append(error.description)
            }
        }
        let (text, _) = PageText.cut(parts.filter { !$0.isEmpty }.joined(separator: "\n\n"), at: cap)
        return Reading(text: text.isEmpty ? nil : text, problems: problems)
    }

    /// The links on the same site whose path or text names customers, references or the company, in
    /// page order, each once.
    static func pagesWorthReading(_ links: [PageText.Link], from page: String) -> [String] {
        guard let base = URL(string: page), let host = base.host?.lowercased() else { return [] }
        var seen: Set<String> = [page]
        var found: [String] = []
        for link in links {
            guard let url = URL(string: link.href, relativeTo: base)?.absoluteURL, url.host?.lowercased() == host,
                ["http", "https"].contains(url.scheme?.lowercased() ?? "")
            else { continue }
            var components = URLComponents(url: url, resolvingAgainstBaseURL: true)
            components?.fragment = nil
            guard let address = components?.url?.absoluteString, !seen.contains(address) else { continue }
            let words = (url.path + " " + link.text).lowercased()
            guard wanted.contains(where: { words.contains($0) }) else { continue }
            seen.insert(address)
            found.append(address)
        }
        return found
    }
}
