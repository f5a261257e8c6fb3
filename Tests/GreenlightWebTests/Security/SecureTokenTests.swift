@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The hash that sessions and API keys are stored under: SHA-256 in lowercase hexadecimal.
@Suite("Secure tokens")
struct SecureTokenTests {
    @Test("SHA-256 hex matches the published test vectors")
    func sha256() {
        #expect(SecureToken.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecureToken.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SecureToken.hex([0x00, 0x0f, 0xf0, 0xff]) == "000ff0ff")
    }
}
