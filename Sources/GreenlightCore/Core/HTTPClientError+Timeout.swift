import AsyncHTTPClient

extension HTTPClientError {
    /// Whether the other side stayed silent past a limit — while connecting, reading or overall.
    /// On a loaded machine a short timeout can fire during the connect, which is the same silence
    /// to whoever reads the reason.
    package var isTimeout: Bool {
        self == .deadlineExceeded || self == .connectTimeout || self == .readTimeout
    }
}
