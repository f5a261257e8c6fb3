import Foundation
/// Produces the agent variables a template needs for one contact (SPEC §2).
///
/// The context-pack filler is the one that works with no model; the model-backed agents
/// implement the same protocol.
public protocol VariableFiller: Sendable {
    /// A name for the drafts' "model" field.
    var modelName: String { get }
    /// A line shown on every email this filler drafted.
    var note: String { get }
    func fill(_ names: [String], for contact: ContactProfile, pack: ContextPack) async throws -> [DraftVariable]
}
