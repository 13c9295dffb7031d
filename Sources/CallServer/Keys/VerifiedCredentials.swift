import Glibc

/// Each thread's memory of credentials it has already verified against a given key table, so that
/// a client sending the same key and secret on every request costs a keyed fingerprint of the
/// secret and a table lookup instead of a SHA-256 (which dominates a small request).
///
/// Per thread, so event loops share nothing and take no lock. Only a keyed 128-bit fingerprint of
/// a secret is kept (seeded per process), never the secret itself. Entries name the generation of
/// the table they were checked against, so a reload (revocation) invalidates them at once.
final class VerifiedCredentials {
    struct Entry {
        var table: UInt64
        var fingerprint: Fingerprint
        var principal: Principal
    }

    /// A keyed 128-bit digest of a secret.
    struct Fingerprint: Equatable {
        var high: Int
        var low: Int
    }

    /// One entry per slot, the slot a hash of the key's bytes (the hasher is seeded per process): keys that share
    /// a slot take turns, so the memory stays bounded. The entry's principal holds the key itself, compared on lookup.
    private var slots: [Entry?]

    /// An empty memory of `capacity` slots (a power of two; a test gives 1 to put every key on one slot).
    init(capacity: Int = 4096) {
        slots = [Entry?](repeating: nil, count: capacity)
    }

    /// The principal remembered for `key` when it was verified with this fingerprint against `table`.
    func principal(key: UnsafeRawBufferPointer, fingerprint: Fingerprint, table: UInt64) -> Principal? {
        guard let entry = slots[slot(key)], entry.table == table, entry.fingerprint == fingerprint,
              entry.principal.key.utf8.elementsEqual(key)
        else { return nil }
        return entry.principal
    }

    /// Remembers a successful verification of the entry's principal's key, in place of whatever shared its slot.
    func remember(_ entry: Entry) {
        var key = entry.principal.key
        slots[key.withUTF8 { slot(UnsafeRawBufferPointer($0)) }] = entry
    }

    private func slot(_ key: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: key)
        return hasher.finalize() & (slots.count - 1)
    }

    /// The calling thread's instance.
    static func forThisThread() -> VerifiedCredentials {
        if let existing = pthread_getspecific(threadKey) {
            return Unmanaged<VerifiedCredentials>.fromOpaque(existing).takeUnretainedValue()
        }
        let fresh = VerifiedCredentials()
        pthread_setspecific(threadKey, Unmanaged.passRetained(fresh).toOpaque())
        return fresh
    }

    /// The fingerprint of `secret` (its bytes) under this process's random salts.
    static func fingerprint(_ secret: UnsafeRawBufferPointer) -> Fingerprint {
        var high = Hasher()
        high.combine(salts.0)
        high.combine(bytes: secret)
        var low = Hasher()
        low.combine(salts.1)
        low.combine(bytes: secret)
        return Fingerprint(high: high.finalize(), low: low.finalize())
    }

    private static let salts: (UInt64, UInt64) = {
        var random = SystemRandomNumberGenerator()
        return (random.next(), random.next())
    }()

    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<VerifiedCredentials>.fromOpaque(pointer).release()
        }
        return key
    }()
}
