/// Why a model call got no answer, in words an operator understands. The key never appears.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401: the key is wrong or revoked.
    case refusedKey(String)
    /// 403, or 404 for an unknown model: the key may not use what was asked.
    case forbidden(String)
    /// 429 with `insufficient_quota`: the account is out of credit; waiting does not help.
    case quota(String)
    /// Another 4xx: the server refused the request (a context too long, a bad parameter).
    case rejected(status: Int, message: String)
    /// 429 or 5xx after every retry, a timeout or no connection.
    case unavailable(String)
    /// The client's model budget would be passed by the call's worst case: it was not made.
    case budgetReached(String)

    public var description: String {
        switch self {
        case .refusedKey(let said): return "the model server refused the API key (401): check GREENLIGHT_LLM_API_KEY\(Self.tail(said))"
        case .forbidden(let said): return "the model server does not let this key use what was asked (model name or permission)\(Self.tail(said))"
        case .quota(let said): return "the model account has no quota left (429 insufficient_quota)\(Self.tail(said))"
        case .rejected(let status, let said): return "the model server refused the request (\(status)): \(said)"
        case .unavailable(let said): return "the model is not answering: \(said)"
        case .budgetReached(let reason): return reason
        }
    }

    private static func tail(_ said: String) -> String { said.isEmpty ? "" : " — it said: \(said)" }

    /// Whether asking again later in the same batch is pointless (the key, the quota, the model name).
    public var stopsCalls: Bool {
        switch self {
        case .refusedKey, .forbidden, .quota, .budgetReached: return true
        case .rejected, .unavailable: return false
        }
    }
}
