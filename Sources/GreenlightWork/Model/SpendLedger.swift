import Foundation
import SQLKit
import GreenlightCore

/// The model spend of each client (issue 16): every call recorded with its tokens, cost, latency and
/// outcome; budgets per hour and per day (rolling windows), in dollars; the reason new calls stop
/// when one is reached, and the spend per day for the client page.
///
/// A call is paid for before it is made (issue 28): ``reserve(_:)`` counts its worst case into the
/// windows under a lock on the client's row, so every instance sharing the database sees it, and
/// refuses it when the budget could be passed; ``settle(_:promptTokens:completionTokens:latencyMs:outcome:)``
/// brings it down to what the answer reports. Spend is never above a budget while answers stay
/// within their worst case.
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
    package static func dollars(_ micro: Int) -> String { String(format: "$%.2f", Double(micro) / 1_000_000) }

    public func budgets(clientID: Int) async throws -> Budgets {
        try await budgets(clientID: clientID, sql: nil)
    }

    func budgets(clientID: Int, sql: (any SQLDatabase)?) async throws -> Budgets {
        let query: @Sendable (any SQLDatabase) async throws -> (any SQLRow)? = { sql in
            try await sql.raw(
                "SELECT llm_budget_hourly_microdollars AS h, llm_budget_daily_microdollars AS d FROM clients WHERE id = \(bind: clientID)"
            ).first()
        }
        let found: (any SQLRow)?
        if let sql { found = try await query(sql) } else { found = try await database.read(query) }
        guard let row = found else { throw NotFound("client \(clientID)") }
        return Budgets(
            hourly: try row.decode(column: "h", as: Int?.self).map { Double($0) / 1_000_000 },
            daily: try row.decode(column: "d", as: Int?.self).map { Double($0) / 1_000_000 })
    }

    /// Sets the budgets; a negative amount is refused.
    public func setBudgets(_ budgets: Budgets, clientID: Int) async throws {
        try await database.write { sql in try await write(budgets, clientID: clientID, sql: sql) }
    }

    func write(_ budgets: Budgets, clientID: Int, sql: any SQLDatabase) async throws {
        for (name, value) in [("hourly", budgets.hourly), ("daily", budgets.daily)] {
            if let value, !(value >= 0) { throw InputError(field: name, "the \(name) budget must be a dollar amount of 0 or more, got \(value)") }
        }
        try await sql.raw(
            """
            UPDATE clients SET llm_budget_hourly_microdollars = \(bind: budgets.hourly.map(Self.micro)),
            llm_budget_daily_microdollars = \(bind: budgets.daily.map(Self.micro)) WHERE id = \(bind: clientID)
            """
        ).run()
    }

    /// Microdollars spent or reserved by the client since `since` (milliseconds).
    func spent(clientID: Int, since: Int, sql: (any SQLDatabase)? = nil) async throws -> Int {
        let query: @Sendable (any SQLDatabase) async throws -> Int = { sql in
            try await sql.raw(
                """
                SELECT CAST(COALESCE(SUM(cost_microdollars), 0) AS BIGINT) AS spent FROM model_calls WHERE client_id = \(bind: clientID) AND created_at >= \(bind: since)
                """
            ).first()?.decode(column: "spent", as: Int.self) ?? 0
        }
        if let sql { return try await query(sql) }
        return try await database.read(query)
    }

    /// Why no new calls may be made for the client now — a budget reached in the last hour or day,
    /// or so nearly reached that `calls` calls as dear as the dearest of the last day would pass it
    /// (a contact's agents ask at once: a contact whose calls cannot all be paid for is not started) —
    /// or nil when calls may go on.
    public func stopReason(clientID: Int, clientName: String, calls: Int = 1) async throws -> String? {
        let now = clock.nowMillis()
        let dearest = try await database.read { sql in
            try await sql.raw(
                """
                SELECT CAST(COALESCE(MAX(reserved_microdollars), 0) AS BIGINT) AS dearest FROM model_calls
                WHERE client_id = \(bind: clientID) AND created_at >= \(bind: now - 86_400_000)
                """
            ).first()?.decode(column: "dearest", as: Int.self) ?? 0
        }
        return try await refusal(clientID: clientID, clientName: clientName, cost: dearest * max(1, calls), calls: max(1, calls), now: now, sql: nil)
    }

    /// Why `calls` calls that may cost `cost` microdollars in all may not be made now, nil when they fit
    /// every budget. A budget of 0 allows no call. `sql`: the transaction to read in (nil: a read of its own).
    func refusal(clientID: Int, clientName: String, cost: Int, calls: Int = 1, now: Int, sql: (any SQLDatabase)?) async throws -> String? {
        let budgets = try await budgets(clientID: clientID, sql: sql)
        for (label, budget, window) in [("hourly", budgets.hourly, 3_600_000), ("daily", budgets.daily, 86_400_000)] {
            guard let budget else { continue }
            let limit = Self.micro(budget)
            let spent = try await spent(clientID: clientID, since: now - window, sql: sql)
            if limit == 0 || spent + cost > limit {
                let what = calls == 1 ? "the next call" : "a contact's next \(calls) calls"
                let next = spent >= limit || cost == 0 ? "" : ", and \(what) may cost up to \(Self.dollars(cost))"
                return
                    "the \(label) model budget of \(Self.dollars(limit)) for \(clientName) is reached (\(Self.dollars(spent)) in the last \(label == "hourly" ? "hour" : "24 hours")\(next)): no model calls until it allows or a manager raises it"
            }
        }
        return nil
    }

    /// Spend per client from `since` to `until` (milliseconds, end excluded), the clients with calls
    /// only, most expensive first: client, calls, tokens, dollars.
    public func byClient(clientIDs: [Int]?, since: Int, until: Int) async throws -> [(clientID: Int, calls: Int, tokens: Int, cost: String)] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT client_id, COUNT(*) AS calls, CAST(SUM(prompt_tokens + completion_tokens) AS BIGINT) AS tokens,
                CAST(SUM(cost_microdollars) AS BIGINT) AS cost FROM model_calls
                WHERE created_at >= \(bind: since) AND created_at < \(bind: until)\(SQLStatements.visible("client_id", to: clientIDs))
                GROUP BY client_id ORDER BY cost DESC, client_id
                """
            ).all().map { row in
                (
                    try row.decode(column: "client_id", as: Int.self), try row.decode(column: "calls", as: Int.self),
                    try row.decode(column: "tokens", as: Int.self), Self.dollars(try row.decode(column: "cost", as: Int.self))
                )
            }
        }
    }

    /// Spend per UTC day, newest first: day, calls, tokens, dollars.
    public func daily(clientID: Int, days: Int = 7) async throws -> [(day: String, calls: Int, tokens: Int, cost: String)] {
        let since = clock.nowMillis() - days * 86_400_000
        let rows = try await database.read { sql in
            try await sql.raw(
                """
                SELECT created_at, prompt_tokens + completion_tokens AS tokens, cost_microdollars FROM model_calls
                WHERE client_id = \(bind: clientID) AND created_at >= \(bind: since)
                """
            ).all()
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
