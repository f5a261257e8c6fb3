import Foundation
import GreenlightCore

extension QueueFilter {
    /// Reads the filter from a URL query string (`client=3&q=acme+corp&after=…`) — the one parser the
    /// queue page, the API and `greenlight explain` share. Parameters it does not know are ignored.
    public init(query: String) throws(InputError) {
        try self.init(parameters: QueryString.parameters(query))
    }
}
