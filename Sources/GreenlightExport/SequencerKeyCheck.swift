import GreenlightCore
import GreenlightWork
/// Before a client's sequencer settings are saved: the stored key must work (the cheap accounts
/// call) and see every sending account the settings name, so a refused (401), unpaid (402) or
/// under-scoped (403) key is said when the manager saves, not at the next export. For Instantly the
/// time zone must have an accepted name with the same clock (``InstantlyTimeZone``). Without a stored
/// API key (none yet, or CSV) there is nothing to check.
public struct SequencerKeyCheck: Sendable {
    let factory: SequencerFactory

    public init(factory: SequencerFactory) {
        self.factory = factory
    }

    /// Throws, naming the problem, when the key or an account is refused.
    public func verify(_ settings: ExportSettings, keys: ClientSecrets.Values) async throws(InputError) {
        guard let kind = keys.sequencerKind, kind.hasAPI, let key = keys.sequencerKey else { return }
        if kind == .instantly,
            case .none(let nearest) = InstantlyTimeZone.map(settings.timezone, from: Clock.date(fromMillis: factory.clock.nowMillis()))
        {
            throw InputError(field: "timezone", "nothing saved: " + InstantlyTimeZone.refusal(settings.timezone, nearest: nearest))
        }
        let sequencer: any Sequencer
        do { sequencer = try factory.make(kind: kind, key: key) } catch { throw InputError(field: "sequencer", "nothing saved: \(error)") }
        let seen: [String]
        do { seen = try await sequencer.accounts() } catch { throw InputError(field: "sequencer", "nothing saved: \(error)") }
        let known = Set(seen.map { $0.lowercased() })
        if let unknown = settings.accounts.first(where: { !known.contains($0.lowercased()) }) {
            throw InputError(
                field: "accounts",
                "nothing saved: \(kind) has no sending account \(unknown) for this key (it has: \(seen.isEmpty ? "none" : seen.joined(separator: ", ")))"
            )
        }
    }
}
