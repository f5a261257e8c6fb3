import Foundation
import NIOCore
import Synchronization
import GreenlightCore
import GreenlightWork

/// The queue's cards as rendered HTML, kept between requests and shared by every viewer.
///
/// Rendering fifty cards through Mustache was most of the queue page's CPU. A card's HTML depends on
/// three things only: its email (the whole ``EmailRecord``, compared on every use, so any change —
/// a decision, an edit, a claim taken or run out, an export — renders it afresh), whether someone other
/// than the viewer holds its claim, whether the viewer decided it (then it offers an undo), and four values of the page: the CSRF token, the time shown, the
/// return address, and that address again inside the card's links. A card is rendered once with a
/// marker in place of each page value and kept as pieces; each page joins the pieces with its own
/// escaped values. The marker carries a random nonce drawn at start, so no email text can forge one.
/// The page itself is rendered with ``slot`` where the cards go, and the cards are written into the
/// response there (fifty cards are 250 KB; Mustache would copy them once per enclosing section).
///
/// Bounded: about `capacity` cards in two generations (a card unused for a generation is dropped).
/// Nothing here coordinates instances: each keeps its own, and a card is only ever reused for an
/// identical record.
final class CardCache: Sendable {
    /// The values a page puts into each of its cards.
    struct PageValues {
        var csrf: String
        var shownAt: Int
        var returnTo: String
    }

    private enum Piece: Sendable {
        case text(String)
        case csrf, shownAt, returnTo, returnToInURL
    }

    private struct Key: Hashable {
        var id: Int
        var claimedByOther: Bool
        /// The viewer made its decision: the card offers to undo it.
        var decidedByViewer: Bool
    }

    private struct Entry: Sendable {
        var record: EmailRecord
        var pieces: [Piece]
    }

    private struct Generations: Sendable {
        var recent: [Key: Entry] = [:]
        var older: [Key: Entry] = [:]
    }

    let capacity: Int
    private let generations = Mutex(Generations())
    /// `glcard` and 24 random hex digits: letters and digits only, so neither HTML escaping nor URL
    /// encoding changes it.
    private let marker = "glcard" + (0..<3).map { _ in String(UInt32.random(in: .min ... .max), radix: 16).leftPadded(to: 8) }.joined()

    /// Where a page's cards go: the page template writes it (as an ordinary escaped value) and
    /// ``write(_:viewerID:page:around:render:)`` puts the cards in its place.
    var slot: String { marker + "k" }

    init(capacity: Int = 1_000) {
        self.capacity = max(2, capacity)
    }

    /// The page `html` (rendered with ``slot`` once where the cards go, or without it when there are
    /// no cards) with the cards of `records`
    /// in that place, in order: kept cards reused, the others rendered (with `render`, given each
    /// card's view) and kept.
    func write(_ records: [EmailRecord], viewerID: Int, page: PageValues, around html: String, render: (CardView) throws -> String) throws
        -> ByteBuffer
    {
        guard let at = Self.offset(of: slot, in: html) else {
            // An empty page has no list to put cards in.
            if records.isEmpty { return ByteBuffer(string: html) }
            throw ConfigurationError("review/queue.mustache has no place for the cards")
        }
        let cards = try pieces(of: records, viewerID: viewerID, render: render)
        let values: [String] = [
            FastHTMLContentType.escape(page.csrf), String(page.shownAt), FastHTMLContentType.escape(page.returnTo),
            FastHTMLContentType.escape(QueueURL.encode(page.returnTo)),
        ]
        let utf8 = html.utf8
        var buffer = ByteBuffer()
        buffer.reserveCapacity(utf8.count + cards.reduce(0) { $0 + $1.reduce(0) { $0 + Self.length($1) } } + 400 * records.count)
        buffer.writeString(String(html[..<at]))
        for pieces in cards {
            for piece in pieces {
                switch piece {
                case .text(let text): buffer.writeString(text)
                case .csrf: buffer.writeString(values[0])
                case .shownAt: buffer.writeString(values[1])
                case .returnTo: buffer.writeString(values[2])
                case .returnToInURL: buffer.writeString(values[3])
                }
            }
        }
        buffer.writeString(String(html[html.utf8.index(at, offsetBy: slot.utf8.count)...]))
        return buffer
    }

    /// The start of `needle` in `text`, searched byte by byte.
    private static func offset(of needle: String, in text: some StringProtocol) -> String.Index? {
        let pattern = Array(needle.utf8)
        let utf8 = text.utf8
        var index = utf8.startIndex
        while let first = utf8[index...].firstIndex(of: pattern[0]) {
            if utf8[first...].starts(with: pattern) { return first }
            index = utf8.index(after: first)
        }
        return nil
    }

    /// Each record's card as pieces, from the cache or rendered (and then kept).
    private func pieces(of records: [EmailRecord], viewerID: Int, render: (CardView) throws -> String) throws -> [[Piece]] {
        let keys = records.map {
            Key(
                id: $0.id, claimedByOther: $0.claimedBy != nil && $0.claimedBy != viewerID,
                decidedByViewer: $0.reviewerID != nil && $0.reviewerID == viewerID)
        }
        var found: [[Piece]?] = generations.withLock { generations in
            zip(keys, records).map { key, record in
                if let entry = generations.recent[key], entry.record == record { return entry.pieces }
                guard let entry = generations.older[key], entry.record == record else { return nil }
                generations.recent[key] = entry
                return entry.pieces
            }
        }
        var rendered: [(Key, Entry)] = []
        for index in records.indices where found[index] == nil {
            let pieces = try pieces(of: records[index], viewerID: viewerID, render: render)
            found[index] = pieces
            rendered.append((keys[index], Entry(record: records[index], pieces: pieces)))
        }
        if !rendered.isEmpty {
            generations.withLock { generations in
                for (key, entry) in rendered {
                    if generations.recent.count >= capacity / 2 {
                        generations.older = generations.recent
                        generations.recent = [:]
                    }
                    generations.recent[key] = entry
                }
            }
        }
        return found.map { $0 ?? [] }
    }

    /// How many cards are kept.
    var count: Int {
        generations.withLock { $0.recent.count + $0.older.count }
    }

    private static func length(_ piece: Piece) -> Int {
        if case .text(let text) = piece { return text.utf8.count }
        return 0
    }

    /// One card rendered with markers in place of the page's values, cut at the markers.
    private func pieces(of record: EmailRecord, viewerID: Int, render: (CardView) throws -> String) throws -> [Piece] {
        var card = CardView(try record.summary(), viewerID: viewerID, csrf: marker + "c", returnTo: marker + "r", now: 0)
        card.shownAt = marker + "s"
        card.openURL = "/review/\(record.id)?return_to=" + marker + "u"
        card.editURL = card.openURL + "&edit=1#edit"
        let html = try render(card)
        var pieces: [Piece] = []
        var rest = Substring(html)
        let length = marker.utf8.count
        while let found = Self.offset(of: marker, in: rest), let kind = rest.utf8[rest.utf8.index(found, offsetBy: length)...].first {
            if rest.startIndex < found { pieces.append(.text(String(rest[..<found]))) }
            switch kind {
            case UInt8(ascii: "c"): pieces.append(.csrf)
            case UInt8(ascii: "s"): pieces.append(.shownAt)
            case UInt8(ascii: "r"): pieces.append(.returnTo)
            case UInt8(ascii: "u"): pieces.append(.returnToInURL)
            default: throw ConfigurationError("review/card.mustache wrote an unknown page value marker")
            }
            rest = rest[rest.utf8.index(found, offsetBy: length + 1)...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        return pieces
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
