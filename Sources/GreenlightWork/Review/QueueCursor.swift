import Foundation
import GreenlightCore

/// A position in the queue's order (score, age, id): the page after it starts strictly past it.
///
/// Keyset, not OFFSET: an email reviewed between two pages neither shifts nor repeats the rest.
public struct QueueCursor: Sendable, Equatable {
    public var score: Int
    public var createdAt: Int
    public var id: Int

    public init(score: Int, createdAt: Int, id: Int) {
        self.score = score
        self.createdAt = createdAt
        self.id = id
    }

    /// The opaque text form used in URLs and the API's `next`.
    public var token: String {
        Data("\(score).\(createdAt).\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public init(token: String) throws(InputError) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.count < 100, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            throw InputError(field: "after", "the page cursor \"\(token.prefix(40))\" is not one Greenlight gave out")
        }
        let parts = text.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 3 else { throw InputError(field: "after", "the page cursor \"\(token.prefix(40))\" is not one Greenlight gave out") }
        self.init(score: parts[0], createdAt: parts[1], id: parts[2])
    }
}
