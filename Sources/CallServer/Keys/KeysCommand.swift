import CallCore
import Foundation

/// `CallServer keys create|list|revoke`: manages the keys file.
enum KeysCommand {
    /// Runs the subcommand; returns the process exit code.
    static func run(_ arguments: [String], environment: [String: String]) -> Int32 {
        var keysFile = environment["CALLSERVER_KEYS"] ?? "keys.json"
        var org: String?
        var scopes: [String] = []
        var positional: [String] = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            func next() -> String? {
                index += 1
                return index < arguments.count ? arguments[index] : nil
            }
            switch argument {
            case "--keys": keysFile = next() ?? ""
            case "--org": org = next()
            case "--scope": if let scope = next() { scopes.append(scope) }
            default: positional.append(argument)
            }
            index += 1
        }
        do {
            switch arguments.first {
            case "create":
                return try create(org: org, scopes: scopes, keysFile: keysFile)
            case "list":
                return try list(keysFile: keysFile)
            case "revoke":
                guard let key = positional.first else { return fail("keys revoke needs the key id") }
                return try revoke(key, keysFile: keysFile)
            default:
                return fail("keys needs create, list or revoke (see --help)")
            }
        } catch {
            return fail(error.description)
        }
    }

    private static func create(org: String?, scopes: [String], keysFile: String) throws(KeyFile.Failure) -> Int32 {
        guard let org, !org.isEmpty, org.utf8.count <= 128 else { return fail("keys create needs --org ORG (1–128 characters)") }
        let chosen = scopes.isEmpty ? [Scope.read] : scopes
        guard chosen.allSatisfy(Scope.all.contains) else { return fail("--scope must be calls:read or calls:write") }
        var records = try KeyFile.load(keysFile)
        let (key, secret) = KeyFile.generateCredentials()
        let unique = Array(NSOrderedSet(array: chosen)).compactMap { $0 as? String }
        records.append(KeyRecord(
            key: key, secretSHA256: SHA256.hexDigest(secret), organizationID: org, scopes: unique,
            createdAt: ISO8601DateFormatter().string(from: Date())))
        try KeyFile.save(records, to: keysFile)
        let shown: [String: Any] = ["key": key, "secret": secret, "organization_id": org, "scopes": unique]
        if let data = try? JSONSerialization.data(withJSONObject: shown, options: [.sortedKeys]) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
        return 0
    }

    private static func list(keysFile: String) throws(KeyFile.Failure) -> Int32 {
        for record in try KeyFile.load(keysFile) {
            let line = "\(record.key)\t\(record.organizationID)\t\(record.scopes.joined(separator: ","))\t\(record.createdAt)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        return 0
    }

    private static func revoke(_ key: String, keysFile: String) throws(KeyFile.Failure) -> Int32 {
        var records = try KeyFile.load(keysFile)
        let before = records.count
        records.removeAll { $0.key == key }
        guard records.count < before else { return fail("no key \(key) in \(keysFile)") }
        try KeyFile.save(records, to: keysFile)
        FileHandle.standardError.write(Data("revoked \(key)\n".utf8))
        return 0
    }

    private static func fail(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("CallServer keys: \(message)\n".utf8))
        return 2
    }
}
