import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One outbound HTTP call with a JSON body, bounded from sending to the body's last byte by a
/// timeout: what the sequencer and model clients build their retries on. It never throws: the
/// answer (status, body, `Retry-After`) or why there was none, in words.
package struct HTTPExchange: Sendable {
    /// What one call came to.
    package enum Outcome: Sendable {
        case answer(status: Int, body: Data, retryAfter: Duration?)
        /// No answer, and why. `mayHaveArrived`: the request may have reached the server, which may
        /// have done (and billed) the work — the answer did not come in time; false when no
        /// connection was made or the request could not be sent.
        case failed(String, mayHaveArrived: Bool)
    }

    let httpClient: HTTPClient
    let timeout: Duration
    /// The other side's name, for messages.
    let vendor: String
    /// The most of an answer's body read.
    var bodyLimit = 16 << 20

    package init(httpClient: HTTPClient, timeout: Duration, vendor: String) {
        self.httpClient = httpClient
        self.timeout = timeout
        self.vendor = vendor
    }

    package func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)], json: Data?) async -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        let timeout = self.timeout
        let client = httpClient
        let limit = bodyLimit
        let prepared = request
        do {
            let answer: Outcome? = try await withThrowingTaskGroup(of: Outcome?.self) { group in
                group.addTask {
                    let response = try await client.execute(prepared, deadline: .now() + TimeAmount(timeout))
                    let body = try await response.body.collect(upTo: limit)
                    return .answer(
                        status: Int(response.status.code), body: Data(body.readableBytesView),
                        retryAfter: DurationText.retryAfter(response.headers.first(name: "Retry-After")))
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            return answer ?? .failed("\(vendor) did not answer within \(DurationText.describe(timeout))", mayHaveArrived: true)
        } catch let error as HTTPClientError where error.isTimeout {
            return .failed("\(vendor) did not answer within \(DurationText.describe(timeout))", mayHaveArrived: error != .connectTimeout)
        } catch {
            return .failed("could not reach \(vendor): \(error)", mayHaveArrived: false)
        }
    }
}
