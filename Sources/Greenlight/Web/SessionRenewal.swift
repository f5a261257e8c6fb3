import Hummingbird
import HummingbirdAuth

/// Idle and absolute session expiry: a session lasts `idle` past the last request (renewed at most
/// once a minute) and never more than `absolute` past login.
struct SessionRenewal: Sendable {
    let sessions: SessionStorage<UserSession>
    let idle: Duration
    let absolute: Duration

    /// Renews the session when due; returns an expiring cookie when it is past its absolute lifetime.
    func renewOrEnd(_ session: UserSession, request: Request, now: Int = Clock.nowMillis()) async throws -> Cookie? {
        let absoluteEnd = session.createdAt + Int(absolute.components.seconds) * 1000
        if now >= absoluteEnd {
            return try await sessions.delete(request: request)
        }
        if now - session.renewedAt >= 60_000 {
            var renewed = session
            renewed.renewedAt = now
            let remaining = min(Int(idle.components.seconds) * 1000, absoluteEnd - now)
            try await sessions.update(session: renewed, expiresIn: .milliseconds(remaining), request: request)
        }
        return nil
    }
}
