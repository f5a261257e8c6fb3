import GreenlightCore
import SQLKit

extension DailyRollup {
    /// Sets a client's time zone, the one place it is changed: its rollup is kept by the client's
    /// local days, so when the zone changes every day is rebuilt, in the caller's transaction.
    /// Setting the zone it already has changes nothing.
    public static func setTimeZone(_ sql: any SQLDatabase, clientID: Int, to timezone: String) async throws {
        let previous = try await sql.raw("SELECT timezone FROM clients WHERE id = \(bind: clientID)").first()?.decode(
            column: "timezone", as: String.self)
        guard let previous, previous != timezone else { return }
        try await sql.raw("UPDATE clients SET timezone = \(bind: timezone) WHERE id = \(bind: clientID)").run()
        try await rebuild(sql, clientID: clientID)
    }
}
