import SQLKit
import GreenlightCore

extension SpendLedger {
    /// One model call about to be made: whose it is and what it may cost at most.
    public struct Call: Sendable {
        public var clientID: Int
        public var clientName: String
        public var batchID: Int?
        public var agent: String
        public var model: String
        /// The worst case in millionths of a dollar: the whole request and `max_tokens` at the price table.
        public var worstMicrodollars: Int
    }

    /// Counts a call's worst case into the client's windows before it is made, and returns the row
    /// that holds it (outcome `reserved`); throws ``BudgetReached`` — reserving nothing — when the
    /// worst case would pass the hourly or daily budget. The client's row is locked for the check on
    /// PostgreSQL (SQLite's writer is already alone), so instances reserving at once see each other.
    public func reserve(_ call: Call) async throws -> Int {
        let now = clock.nowMillis()
        return try await database.write { sql in
            if database.dialect == .postgres {
                _ = try await sql.raw("SELECT id FROM clients WHERE id = \(bind: call.clientID) FOR UPDATE").all()
            }
            if let reason = try await refusal(clientID: call.clientID, clientName: call.clientName, cost: call.worstMicrodollars, now: now, sql: sql)
            {
                throw BudgetReached(reason: reason)
            }
            guard
                let id = try await sql.raw(
                    """
                    INSERT INTO model_calls (client_id, batch_id, agent, model, prompt_tokens, completion_tokens, cost_microdollars, reserved_microdollars, latency_ms, outcome, created_at)
                    VALUES (\(bind: call.clientID), \(bind: call.batchID), \(bind: call.agent), \(bind: call.model), 0, 0, \(bind: call.worstMicrodollars),
                    \(bind: call.worstMicrodollars), 0, 'reserved', \(bind: now)) RETURNING id
                    """
                ).first()?.decode(column: "id", as: Int.self)
            else { throw StorageError("the reservation of a model call was not stored") }
            return id
        }
    }

    /// Brings a reserved call to what it cost: its tokens at the price table (`cost` in millionths of
    /// a dollar; nil keeps the reservation — a call that timed out may still be billed), its latency
    /// and how it ended (`ok`, `invalid` or `failed`).
    public func settle(_ id: Int, promptTokens: Int, completionTokens: Int, cost: Int?, latencyMs: Int, outcome: String) async throws {
        try await database.write { sql in
            let price: SQLQueryString = cost.map { "cost_microdollars = \(bind: $0), " } ?? ""
            try await sql.raw(
                """
                UPDATE model_calls SET \(price)prompt_tokens = \(bind: promptTokens), completion_tokens = \(bind: completionTokens),
                latency_ms = \(bind: latencyMs), outcome = \(bind: outcome) WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// Marks a settled call's answer as one that broke the agent's rules.
    public func markInvalid(_ id: Int) async throws {
        try await database.write { sql in
            try await sql.raw("UPDATE model_calls SET outcome = 'invalid' WHERE id = \(bind: id)").run()
        }
    }
}
