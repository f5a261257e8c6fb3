import Foundation
import SQLKit
import GreenlightCore

extension SpendLedger.Budgets {
    /// A budget as typed (by `greenlight model budget` or the client page): dollars ("5", "$12.50"),
    /// or "none" / empty for no limit.
    public static func amount(_ text: String, field: String) throws(InputError) -> Double? {
        let trimmed = text.trimmedWhitespace()
        if trimmed.isEmpty || trimmed.lowercased() == "none" { return nil }
        guard let value = Double(trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "$ "))), value.isFinite, value >= 0 else {
            throw InputError(field: field, "the \(field) budget: \"\(text)\" is not a dollar amount (e.g. 5 or 12.50) or \"none\"")
        }
        guard value <= 1_000_000 else { throw InputError(field: field, "the \(field) budget: \(trimmed) is more than $1,000,000") }
        return value
    }

    /// "$5.00 an hour, $40.00 a day" ("no limit" for a missing one).
    public var text: String {
        func dollars(_ value: Double?) -> String { value.map { String(format: "$%.2f", $0) } ?? "no limit" }
        return "\(dollars(hourly)) an hour, \(dollars(daily)) a day"
    }
}

extension SpendLedger {
    /// Changes a client's budgets from typed amounts (nil: keep that one) and audits before and after,
    /// in one transaction. `userID` is nil from the command line. Returns the budgets now in force.
    @discardableResult
    public func changeBudgets(hourly: String?, daily: String?, clientID: Int, by userID: Int?, now: Int) async throws -> Budgets {
        let newHourly = try hourly.map { text throws(InputError) in try Budgets.amount(text, field: "hourly") }
        let newDaily = try daily.map { text throws(InputError) in try Budgets.amount(text, field: "daily") }
        return try await database.write { sql in
            let before = try await budgets(clientID: clientID, sql: sql)
            var after = before
            if let newHourly { after.hourly = newHourly }
            if let newDaily { after.daily = newDaily }
            guard after != before else { return before }
            try await write(after, clientID: clientID, sql: sql)
            let name = try await sql.raw("SELECT name FROM clients WHERE id = \(bind: clientID)").first()?.decode(column: "name", as: String.self)
            try await AuditLog.append(
                sql, userID: userID, action: "model budget changed", target: name ?? "client \(clientID)",
                details: "\(before.text) → \(after.text)", at: now)
            return after
        }
    }
}
