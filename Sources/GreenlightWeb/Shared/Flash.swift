import Foundation
import Hummingbird

/// The one-line message an action leaves for the page it redirects to ("Email #12 approved."): kept
/// in a short cookie, shown once by the next page, then cleared.
enum Flash {
    static let cookie = "greenlight_flash"

    /// A redirect to `location` that leaves `notice` (at most 600 characters) for the next page.
    static func redirect(to location: String, notice: String) -> Response {
        var response = Response.redirect(to: location, type: .normal)
        response.setCookie(Cookie(name: cookie, value: QueueURL.encode(String(notice.prefix(600))), path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    /// The message the last action left, if any.
    static func read(_ request: Request) -> String? {
        request.cookies[cookie]?.value.removingPercentEncoding
    }

    /// `response` with the message cleared, once it was shown.
    static func clearing(_ response: Response, _ request: Request) -> Response {
        var response = response
        if request.cookies[cookie] != nil {
            response.setCookie(Cookie(name: cookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        }
        return response
    }
}
