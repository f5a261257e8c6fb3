import Hummingbird
import HummingbirdAuth
import GreenlightCore
import GreenlightWork

/// Idle and absolute session expiry, kept by the server: a session lasts `idle` past the last request
/// (renewed at most once a minute) and never more than `absolute` past login. The cookie itself has
/// no expiry date (see ``LoginController/browserSessionCookie(_:)``), so renewing needs no new cookie.
struct SessionRenewal: Sendable {
    let sessions: SessionStorage<UserSession>
    let idle: Duration
    let absolute: Duration
    let clock: TimeSource

    /// Renews the session when due; returns an expiring cookie when it is past its absolute lifetime.
    func renewOrEnd(_ session: UserSession, request: Request) async throws -> Cookie? {
        let now = clock.nowMillis()
        let absoluteEnd = session.createdAt + SQLPersistDriver.milliseconds(absolute)
        if now >= absoluteEnd {
            return try await sessions.delete(request: request)
        }
        if now - session.renewedAt >= 60_000 {
            var renewed = session
            renewed.renewedAt = now
            let remaining = min(SQLPersistDriver.milliseconds(idle), absoluteEnd - now)
            try await sessions.update(session: renewed, expiresIn: .milliseconds(remaining), request: request)
        }
        return nil
    }
}
