import CallCore
import Foundation
import Locking
import Synchronization

/// The keys in force: those of the keys file (re-read when it changes) plus any added in memory
/// (demo keys). Looking a key up is one atomic load: no lock that the event loops would share.
final class KeyRing: Sendable {
    private struct Entry: Sendable {
        var hash: [UInt8]
        var principal: Principal
    }

    private final class Table: Sendable {
        let entries: [String: Entry]
        /// Unique in the process (also across key rings), so verifications remembered against one
        /// table never count for another.
        let generation: UInt64
        init(_ entries: [String: Entry]) {
            self.entries = entries
            generation = KeyRing.generations.wrappingAdd(1, ordering: .relaxed).newValue
        }
    }

    private static let generations = Atomic<UInt64>(0)

    private struct FileStamp: Equatable {
        var modified: timespec
        var size: Int
        var inode: UInt

        static func == (a: FileStamp, b: FileStamp) -> Bool {
            a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
                && a.size == b.size && a.inode == b.inode
        }
    }

    private let path: String
    private let extra: [KeyRecord]
    /// The table in force. Readers use it without retaining it, so a replaced table is never
    /// freed: `retired` keeps it. Reloads happen when someone edits the keys file, so that is a few
    /// kilobytes per edit, in exchange for a lock-free lookup on every request.
    private let published: Atomic<Unmanaged<Table>>
    private let retired = Locked<[Table]>([])
    /// A hash compared against when the key is unknown, so unknown and known keys cost the same.
    private let decoy = SHA256.hash(Array("decoy".utf8))

    /// Loads `path` (missing file: no keys) plus `extra` records.
    init(path: String, extra: [KeyRecord] = []) throws(KeyFile.Failure) {
        self.path = path
        self.extra = extra
        let empty = Table([:])
        retired.withLock { $0.append(empty) }
        published = Atomic(Unmanaged.passUnretained(empty))
        try reload()
    }

    /// Number of keys in force.
    var count: Int { current.entries.count }

    private var current: Table { published.load(ordering: .acquiring).takeUnretainedValue() }

    /// Re-reads the keys file and swaps the table in one step.
    func reload() throws(KeyFile.Failure) {
        let records = try KeyFile.load(path) + extra
        var entries: [String: Entry] = [:]
        for record in records {
            guard let hash = Self.bytes(hex: record.secretSHA256) else { continue }
            entries[record.key] = Entry(
                hash: hash,
                principal: Principal(key: record.key, organizationID: record.organizationID, scopes: Set(record.scopes)))
        }
        let fresh = Table(entries)
        retired.withLock { tables in
            tables.append(fresh)
            published.store(Unmanaged.passUnretained(fresh), ordering: .releasing)
        }
    }

    /// The caller for this key and secret (the bytes of their headers), or nil when either is wrong.
    func authenticate(key: UnsafeRawBufferPointer, secret: UnsafeRawBufferPointer) -> Principal? {
        let table = current
        let fingerprint = VerifiedCredentials.fingerprint(secret)
        let verified = VerifiedCredentials.forThisThread()
        if let principal = verified.principal(key: key, fingerprint: fingerprint, table: table.generation) {
            return principal
        }
        let entry = table.entries[String(decoding: key, as: UTF8.self)]
        let presented = SHA256.hash(secret)
        let matches = constantTimeEquals(presented, entry?.hash ?? decoy)
        guard matches, let entry else { return nil }
        verified.remember(VerifiedCredentials.Entry(table: table.generation, fingerprint: fingerprint, principal: entry.principal))
        return entry.principal
    }

    /// Polls the keys file every half second and reloads it when it changes, so a revoked key stops
    /// working within a second without a restart. A file that fails to parse keeps the old keys.
    func watch(log: @escaping @Sendable (String) -> Void) {
        let path = self.path
        let thread = Thread { [self] in
            var last = Self.stamp(path)
            while true {
                usleep(500_000)
                let now = Self.stamp(path)
                guard now != last else { continue }
                last = now
                do {
                    try reload()
                    log("keys file \(path) reloaded: \(count) keys")
                } catch {
                    log("keys file \(path) not reloaded: \(error)")
                }
            }
        }
        thread.name = "keys-watch"
        thread.start()
    }

    private static func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(modified: info.st_mtim, size: Int(info.st_size), inode: UInt(info.st_ino))
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
