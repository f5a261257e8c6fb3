/// Pays for each request a ``ChatClient`` makes on a client's behalf (issue 28): reserves the
/// request's worst case in the ``SpendLedger`` before it is sent — every byte of the request body
/// as a prompt token (a token is at least one byte) and `max_tokens` as the answer, at the price
/// table — and settles it to the tokens the answer reports. A request that got no answer (a timeout,
/// a lost connection) keeps its reservation, as the provider may bill it; one the server refused
/// with a status costs nothing.
public struct CallMeter: Sendable {
    let ledger: SpendLedger
    let settings: ModelSettings
    let clientID: Int
    let clientName: String
    let batchID: Int?
    /// The agent the calls are for, as the spend ledger names it.
    var agent = ""

    public init(ledger: SpendLedger, settings: ModelSettings, clientID: Int, clientName: String, batchID: Int?) {
        self.ledger = ledger
        self.settings = settings
        self.clientID = clientID
        self.clientName = clientName
        self.batchID = batchID
    }

    /// The same meter, its calls named for `agent`.
    func named(_ agent: String) -> CallMeter {
        var copy = self
        copy.agent = agent
        return copy
    }

    /// A request paid for in advance, settled once it ends.
    struct Reservation: Sendable {
        var id: Int
        var started: ContinuousClock.Instant
    }

    /// Reserves a request's worst case; throws ``ModelError/budgetReached(_:)`` when it does not fit
    /// the client's budget, and ``ModelError/unavailable(_:)`` when the ledger cannot be written.
    func reserve(model: String, requestBytes: Int, maxTokens: Int) async throws(ModelError) -> Reservation {
        let worst = SpendLedger.micro(settings.cost(model: model, promptTokens: requestBytes, completionTokens: maxTokens))
        do {
            let id = try await ledger.reserve(
                .init(
                    clientID: clientID, clientName: clientName, batchID: batchID, agent: agent, model: model,
                    worstMicrodollars: worst))
            return Reservation(id: id, started: .now)
        } catch let stop as BudgetReached {
            throw .budgetReached(stop.reason)
        } catch {
            throw .unavailable("the model call could not be paid for in the spend ledger: \(error)")
        }
    }

    /// Settles a request that was answered: its tokens at the price table (the reservation kept when
    /// the server reported no usage). A failed write leaves the worst case counted, never less.
    func answered(_ reservation: Reservation, _ completion: ChatCompletion) async {
        let cost =
            completion.usageReported
            ? SpendLedger.micro(
                settings.cost(model: completion.model, promptTokens: completion.promptTokens, completionTokens: completion.completionTokens))
            : nil
        try? await ledger.settle(
            reservation.id, promptTokens: completion.promptTokens, completionTokens: completion.completionTokens, cost: cost,
            latencyMs: Self.millis(since: reservation.started), outcome: completion.problem == nil ? "ok" : "invalid")
    }

    /// Settles a request that got no answer: refused with a status (`billed` false, nothing to pay)
    /// or lost on the way (`billed` true, the reservation kept).
    func failed(_ reservation: Reservation, billed: Bool) async {
        try? await ledger.settle(
            reservation.id, promptTokens: 0, completionTokens: 0, cost: billed ? nil : 0,
            latencyMs: Self.millis(since: reservation.started), outcome: "failed")
    }

    /// Marks an answered request whose answer broke the agent's rules.
    func invalid(_ reservation: Reservation) async {
        try? await ledger.markInvalid(reservation.id)
    }

    static func millis(since start: ContinuousClock.Instant) -> Int {
        let time = ContinuousClock.now - start
        return Int(time.components.seconds * 1000 + time.components.attoseconds / 1_000_000_000_000_000)
    }
}
