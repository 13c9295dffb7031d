import CallCore
import Foundation

/// Reads and writes the JSON keys file: `{"keys": [{"key", "secret_sha256", "organization_id", "scopes", "created_at"}]}`.
enum KeyFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Loads the records; a missing file is an empty list.
    static func load(_ path: String) throws(Failure) -> [KeyRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "cannot read keys file \(path)")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = root["keys"] as? [[String: Any]] else {
            throw Failure(description: "keys file \(path) is not a JSON object with a \"keys\" list")
        }
        var records: [KeyRecord] = []
        for (index, entry) in entries.enumerated() {
            guard let key = entry["key"] as? String, !key.isEmpty,
                  let hash = entry["secret_sha256"] as? String, hash.count == 64,
                  let org = entry["organization_id"] as? String, !org.isEmpty,
                  let scopes = entry["scopes"] as? [String] else {
                throw Failure(description: "keys file \(path): entry \(index) needs key, secret_sha256, organization_id and scopes")
            }
            records.append(KeyRecord(
                key: key, secretSHA256: hash.lowercased(), organizationID: org, scopes: scopes,
                createdAt: entry["created_at"] as? String ?? ""))
        }
        return records
    }

    /// Replaces the file atomically (temporary file, then rename), readable by the owner only.
    static func save(_ records: [KeyRecord], to path: String) throws(Failure) {
        let entries: [[String: Any]] = records.map {
            ["key": $0.key, "secret_sha256": $0.secretSHA256, "organization_id": $0.organizationID,
             "scopes": $0.scopes, "created_at": $0.createdAt]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: ["keys": entries], options: [.prettyPrinted, .sortedKeys]) else {
            throw Failure(description: "cannot encode keys file")
        }
        do throws(PrivateFile.Failure) {
            try PrivateFile.replace(path, with: [UInt8](data) + [UInt8(ascii: "\n")])
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// Removes group and other access from an existing keys file (one made by hand or by an older build), so the
    /// secrets' hashes are private; returns a line for the log when it changed the mode or could not.
    static func makePrivate(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o077 != 0 else { return nil }
        let mode = info.st_mode & 0o7777 & ~0o077
        // Changed through the file itself, not its path: a link planted after the check is not followed.
        do throws(PrivateFile.Failure) {
            try PrivateFile.removeGroupAndOtherAccess(path)
        } catch {
            return "keys file \(path) is readable by other users and its mode could not be changed: \(error.description)"
        }
        return "keys file \(path) was readable by other users; its mode is now \(String(mode, radix: 8))"
    }

    /// A fresh random credential pair: a public key id and a secret with 192 bits of entropy.
    static func generateCredentials() -> (key: String, secret: String) {
        var rng = SystemRandomNumberGenerator()
        func hex(_ words: Int) -> String {
            (0..<words).map { _ in
                let value = String(rng.next() as UInt64, radix: 16)
                return String(repeating: "0", count: 16 - value.count) + value
            }.joined()
        }
        return ("ck_" + String(hex(2).prefix(24)), "cs_" + hex(3))
    }
}
