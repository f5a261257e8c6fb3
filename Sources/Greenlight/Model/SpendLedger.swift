import Foundation
import SQLKit

/// One model call, as the spend guard counts it.
public struct ModelCall: Sendable, Equatable {
    public var agent: String
    public var model: String
    public var promptTokens: Int
    public var completionTokens: Int
    public var latencyMs: Int
    /// `ok`, `invalid` (an answer that broke the rules or could not be read) or `failed` (no answer).
    public var outcome: String
}

/// The model spend of each client (issue 16): every call recorded with its tokens, cost, latency and
/// outcome; budgets per hour and per day (rolling windows), in dollars; the reason new calls stop
/// when one is reached, and the spend per day for the client page.
public struct SpendLedger: Sendable {
    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// A client's budgets in dollars (nil: no limit).
    public struct Budgets: Sendable, Equatable {
        public var hourly: Double?
        public var daily: Double?

        public init(hourly: Double?, daily: Double?) {
            self.hourly = hourly
            self.daily = daily
        }
    }

    static func micro(_ dollars: Double) -> Int { Int((dollars * 1_000_000).rounded()) }
    static func dollars(_ micro: Int) -> String { String(format: "$%.2f", Double(micro) / 1_000_000) }

    public func record(_ calls: [ModelCall], clientID: Int, batchID: Int? = nil, settings: ModelSettings) async throws {
        guard !calls.isEmpty else { return }
        let now = clock.nowMillis()
        try await database.write { sql in
            for call in calls {
                let cost = Self.micro(settings.cost(model: call.model, promptTokens: call.promptTokens, completionTokens: call.completionTokens))
                try await sql.raw("""
                    INSERT INTO model_calls (client_id, batch_id, agent, model, prompt_tokens, completion_tokens, cost_microdollars, latency_ms, outcome, created_at)
                    VALUES (\(bind: clientID), \(bind: batchID), \(bind: call.agent), \(bind: call.model), \(bind: call.promptTokens), \(bind: call.completionTokens),
                    \(bind: cost), \(bind: call.latencyMs), \(bind: call.outcome), \(bind: now))
                    """).run()
            }
        }
    }

    public func budgets(clientID: Int) async throws -> Budgets {
        guard let row = try await database.read({ sql in
            try await sql.raw("SELECT llm_budget_hourly_microdollars AS h, llm_budget_daily_microdollars AS d FROM clients WHERE id = \(bind: clientID)").first()
        }) else { throw NotFound("client \(clientID)") }
        return Budgets(hourly: try row.decode(column: "h", as: Int?.self).map { Double($0) / 1_000_000 },
                       daily: try row.decode(column: "d", as: Int?.self).map { Double($0) / 1_000_000 })
    }

    /// Sets the budgets; a negative amount is refused.
    public func setBudgets(_ budgets: Budgets, clientID: Int) async throws {
        for (name, value) in [("hourly", budgets.hourly), ("daily", budgets.daily)] {
            if let value, !(value >= 0) { throw InputError(field: name, "the \(name) budget must be a dollar amount of 0 or more, got \(value)") }
        }
        try await database.write { sql in
            try await sql.raw("""
                UPDATE clients SET llm_budget_hourly_microdollars = \(bind: budgets.hourly.map(Self.micro)),
                llm_budget_daily_microdollars = \(bind: budgets.daily.map(Self.micro)) WHERE id = \(bind: clientID)
                """).run()
        }
    }

    /// Microdollars spent by the client since `since` (milliseconds).
    func spent(clientID: Int, since: Int) async throws -> Int {
        try await database.read { sql in
            try await sql.raw("""
                SELECT CAST(COALESCE(SUM(cost_microdollars), 0) AS BIGINT) AS spent FROM model_calls WHERE client_id = \(bind: clientID) AND created_at >= \(bind: since)
                """).first()?.decode(column: "spent", as: Int.self) ?? 0
        }
    }

    /// Why no new call may be made for the client now — a budget reached in the last hour or day —
    /// or nil when calls may go on.
    public func stopReason(clientID: Int, clientName: String) async throws -> String? {
        let budgets = try await budgets(clientID: clientID)
        let now = clock.nowMillis()
        for (label, budget, window) in [("hourly", budgets.hourly, 3_600_000), ("daily", budgets.daily, 86_400_000)] {
            guard let budget else { continue }
            let spent = try await spent(clientID: clientID, since: now - window)
            if spent >= Self.micro(budget) {
                return "the \(label) model budget of \(Self.dollars(Self.micro(budget))) for \(clientName) is reached (\(Self.dollars(spent)) in the last \(label == "hourly" ? "hour" : "24 hours")): no model calls until it allows or a manager raises it"
            }
        }
        return nil
    }

    /// Spend per client from `since` to `until` (milliseconds, end excluded), the clients with calls
    /// only, most expensive first: client, calls, tokens, dollars.
    public func byClient(clientIDs: [Int]?, since: Int, until: Int) async throws -> [(clientID: Int, calls: Int, tokens: Int, cost: String)] {
        try await database.read { sql in
            try await sql.raw("""
                SELECT client_id, COUNT(*) AS calls, CAST(SUM(prompt_tokens + completion_tokens) AS BIGINT) AS tokens,
                CAST(SUM(cost_microdollars) AS BIGINT) AS cost FROM model_calls
                WHERE created_at >= \(bind: since) AND created_at < \(bind: until)\(SQLStatements.visible("client_id", to: clientIDs))
                GROUP BY client_id ORDER BY cost DESC, client_id
                """).all().map { row in
                (try row.decode(column: "client_id", as: Int.self), try row.decode(column: "calls", as: Int.self),
                 try row.decode(column: "tokens", as: Int.self), Self.dollars(try row.decode(column: "cost", as: Int.self)))
            }
        }
    }

    /// Spend per UTC day, newest first: day, calls, tokens, dollars.
    public func daily(clientID: Int, days: Int = 7) async throws -> [(day: String, calls: Int, tokens: Int, cost: String)] {
        let since = clock.nowMillis() - days * 86_400_000
        let rows = try await database.read { sql in
            try await sql.raw("""
                SELECT created_at, prompt_tokens + completion_tokens AS tokens, cost_microdollars FROM model_calls
                WHERE client_id = \(bind: clientID) AND created_at >= \(bind: since)
                """).all()
        }
        var byDay: [String: (calls: Int, tokens: Int, cost: Int)] = [:]
        for row in rows {
            let day = LocalDay.of(millis: try row.decode(column: "created_at", as: Int.self), timeZone: "UTC")
            var entry = byDay[day] ?? (0, 0, 0)
            entry.calls += 1
            entry.tokens += try row.decode(column: "tokens", as: Int.self)
            entry.cost += try row.decode(column: "cost_microdollars", as: Int.self)
            byDay[day] = entry
        }
        return byDay.keys.sorted(by: >).map { day in (day, byDay[day]!.calls, byDay[day]!.tokens, Self.dollars(byDay[day]!.cost)) }
    }
}

/// A client's model budget is reached: drafting stops, and the contacts not drafted yet wait.
public struct BudgetReached: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }
}
