import Foundation
import Crypto
import GreenlightCore

/// Encrypts secrets at rest (sequencer API keys, Slack webhook URLs) with AES-GCM under the key in
/// `GREENLIGHT_SECRET_KEY` (32 random bytes, base64). Stored form: `v1:` + base64(nonce ‖ ciphertext ‖ tag).
public struct SecretBox: Sendable {
    public static let environmentVariable = "GREENLIGHT_SECRET_KEY"
    static let prefix = "v1:"

    /// The key's bytes (`SymmetricKey` itself is not `Sendable`).
    private let keyData: Data

    private var key: SymmetricKey { SymmetricKey(data: keyData) }

    public init(base64Key: String) throws(ConfigurationError) {
        guard let data = Data(base64Encoded: base64Key.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw ConfigurationError("\(Self.environmentVariable) must be 32 random bytes in base64 (make one with `openssl rand -base64 32`)")
        }
        keyData = data
    }

    /// The box for the key in the environment; an error naming the variable when it is missing or malformed.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> SecretBox
    {
        guard let value = environment[environmentVariable], !value.isEmpty else {
            throw ConfigurationError("\(environmentVariable) is not set: secrets are stored encrypted and need a key (`openssl rand -base64 32`)")
        }
        return try SecretBox(base64Key: value)
    }

    /// A fresh random key in the form `GREENLIGHT_SECRET_KEY` takes.
    public static func makeKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    public func seal(_ secret: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key)
        guard let combined = box.combined else { throw StorageError("AES-GCM gave no combined form") }
        return Self.prefix + combined.base64EncodedString()
    }

    public func open(_ stored: String) throws -> String {
        guard stored.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))) else {
            throw ConfigurationError("a stored secret is not in Greenlight's encrypted form")
        }
        do {
            let plain = try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: key)
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw ConfigurationError("a stored secret cannot be decrypted with this \(Self.environmentVariable): wrong key?")
        }
    }
}
