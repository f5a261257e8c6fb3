import HTTPTypes
import Hummingbird

/// Counts every request and times it per route pattern and status, and gives each answer the
/// request's id (`X-Request-Id`, the `hb.request.id` every log line of the request carries), so a
/// user's report can be matched to the logs.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: AppMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = context.id
            metrics.request(
                method: request.method.rawValue, route: Self.route(context), status: Int(response.status.code),
                duration: ContinuousClock.now - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(method: request.method.rawValue, route: Self.route(context), status: Int(status), duration: ContinuousClock.now - started)
            throw error
        }
    }

    /// The matched route's pattern; files from `Public/` and unknown paths are grouped, never one series per path.
    static func route(_ context: Context) -> String {
        context.endpointPath ?? "unmatched"
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
