import CLibXML2
import Foundation

/// A web page read as the agents need it: its title, its readable text — headings,
/// paragraphs, list items, quotes with their attributions — and its links, from libxml2's HTML
/// parser (`HTML_PARSE_NONET`: nothing the page points at is fetched; no entities are loaded).
///
/// Left out: scripts, styles, templates, forms, navigation, footers, hidden elements, cookie and
/// consent banners, and a `header` that is the site's banner (it holds the navigation); a `header`
/// holding the page's headline is kept. The text is cut at about `cap` characters, at a word. Links
/// are gathered from the whole page, chrome included: navigation is where "customers" and "about" are.
public struct PageText: Sendable, Equatable {
    /// A link of the page: where it points (as written) and its text.
    public struct Link: Sendable, Equatable {
        public var href: String
        public var text: String
    }

    public var title: String
    /// One block per line.
    public var text: String
    public var links: [Link]
    /// Whether the text was cut at the cap.
    public var truncated: Bool

    /// Elements whose content never reaches the text.
    static let dropped: Set<String> = [
        "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
        "nav", "footer", "form", "button", "select", "input", "textarea", "label", "dialog", "head",
    ]
    /// Elements that start a line of their own.
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "main", "aside", "header", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "figure", "figcaption", "table", "tr", "td", "th", "br", "hr", "address", "pre",
    ]
    /// Words in an `id` or `class` that mark a cookie or consent banner.
    static let bannerMarks = ["cookie", "consent", "gdpr", "cmp-"]

    /// Parses `bytes` (the page's declared charset, or `encoding` from the HTTP answer, decides how
    /// they are read) and returns its text, at most about `cap` characters.
    public static func read(_ bytes: [UInt8], url: String = "", encoding: String? = nil, cap: Int = 5_000) -> PageText {
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_RECOVER.rawValue)
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                    htmlReadMemory(chars, Int32(clamping: buffer.count), url, encoding, options)
                }
            }
        }
        guard let document else { return PageText(title: "", text: "", links: [], truncated: false) }
        defer { xmlFreeDoc(document) }
        var reader = Reader()
        if let root = xmlDocGetRootElement(document) { reader.walk(root) }
        let lines = reader.lines.map(Self.collapse).filter { !$0.isEmpty }
        let (text, truncated) = Self.cut(lines.joined(separator: "\n"), at: cap)
        return PageText(title: Self.collapse(reader.title), text: text, links: reader.links, truncated: truncated)
    }

    /// Whitespace runs as one space, trimmed.
    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The text cut at a word before `cap` characters, with "…" when cut.
    static func cut(_ text: String, at cap: Int) -> (String, Bool) {
        guard text.count > cap else { return (text, false) }
        let head = text.prefix(cap)
        let end = head.lastIndex(where: { $0.isWhitespace }) ?? head.endIndex
        return (String(head[..<end]) + " …", true)
    }

    /// Walks the tree depth first, gathering lines, the title and the links.
    private struct Reader {
        var lines: [String] = [""]
        var title = ""
        var links: [Link] = []

        mutating func walk(_ node: xmlNodePtr) {
            var child = node.pointee.children
            while let current = child {
                visit(current)
                child = current.pointee.next
            }
        }

        private mutating func visit(_ node: xmlNodePtr) {
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { lines[lines.count - 1] += String(cString: content) }
            case XML_ELEMENT_NODE:
                let name = PageText.name(of: node)
                if name == "title" && title.isEmpty {
                    title = PageText.text(of: node)
                    return
                }
                if name == "head" {
                    walk(node)  // only its title is read
                    return
                }
                guard !PageText.skipped(node, name: name) else {
                    // Navigation is chrome to the text, but it is where the customers and about pages are linked.
                    gatherLinks(node)
                    return
                }
                if name == "a", let href = PageText.attribute("href", of: node) {
                    links.append(Link(href: href, text: PageText.collapse(PageText.text(of: node))))
                }
                let block = PageText.blocks.contains(name)
                if block { newLine() }
                if name == "li" { lines[lines.count - 1] += "- " }
                if name == "cite" { lines[lines.count - 1] += " " }
                walk(node)
                if block { newLine() }
            default:
                return
            }
        }

        /// The links inside a left-out element.
        private mutating func gatherLinks(_ node: xmlNodePtr) {
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE {
                    if PageText.name(of: current) == "a", let href = PageText.attribute("href", of: current) {
                        links.append(Link(href: href, text: PageText.collapse(PageText.text(of: current))))
                    }
                    gatherLinks(current)
                }
                child = current.pointee.next
            }
        }

        private mutating func newLine() {
            if !(lines.last ?? "").trimmingCharacters(in: .whitespaces).isEmpty { lines.append("") }
        }
    }

    /// Whether an element and everything in it stays out of the text.
    static func skipped(_ node: xmlNodePtr, name: String) -> Bool {
        if dropped.contains(name) && name != "head" { return true }
        if attribute("hidden", of: node) != nil || attribute("aria-hidden", of: node) == "true" { return true }
        let marks = ((attribute("id", of: node) ?? "") + " " + (attribute("class", of: node) ?? "")).lowercased()
        if bannerMarks.contains(where: { marks.contains($0) }) { return true }
        if name == "header" && contains(node, element: "nav") { return true }
        return false
    }

    /// Whether an element holds an element of that name somewhere inside.
    static func contains(_ node: xmlNodePtr, element wanted: String) -> Bool {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE && (name(of: current) == wanted || contains(current, element: wanted)) { return true }
            child = current.pointee.next
        }
        return false
    }

    static func name(of node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
    }

    static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { greenlight_xml_free(value) }
        return String(cString: value)
    }

    /// All the text inside a node.
    static func text(of node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { greenlight_xml_free(content) }
        return String(cString: content)
    }
}
