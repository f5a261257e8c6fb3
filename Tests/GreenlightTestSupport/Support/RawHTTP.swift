import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Speaks HTTP/1.1 over a plain socket, for tests that must send what a normal client will not: headers
/// promising a body that never comes. Returns what the server answered within `timeout`, or `nil`
/// when it answered nothing (it is waiting for the body). The timeout is long because a loaded CI
/// machine can be slow; a server that waits for the body never answers at all.
package enum RawHTTP {
    package static func exchange(port: Int, request: String, timeout: Int = 30) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        guard send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let received = recv(fd, &buffer, buffer.count, 0)
        guard received > 0 else { return nil }
        return String(decoding: buffer[0..<received], as: UTF8.self)
    }
}
