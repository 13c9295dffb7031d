@testable import CallServer
import Testing

/// The memory of verified credentials answers only for the very key, secret and key table it verified, even when
/// another key lands on the same slot.
@Suite struct VerifiedCredentialsTests {
    @Test func aRememberedPrincipalNeedsItsOwnKeySecretAndTable() {
        let memory = VerifiedCredentials(capacity: 1)  // every key on one slot
        let principal = Principal(key: "ck_alpha", organizationID: "org-a", scopes: ["calls:read"])
        let fingerprint = Self.fingerprint("cs_right")
        memory.remember(VerifiedCredentials.Entry(table: 7, fingerprint: fingerprint, principal: principal))

        #expect(lookUp(memory, key: "ck_alpha", fingerprint: fingerprint, table: 7)?.organizationID == "org-a")
        #expect(lookUp(memory, key: "ck_alphb", fingerprint: fingerprint, table: 7) == nil)
        #expect(lookUp(memory, key: "ck_alph", fingerprint: fingerprint, table: 7) == nil)
        #expect(lookUp(memory, key: "ck_alpha", fingerprint: Self.fingerprint("cs_wrong"), table: 7) == nil)
        #expect(lookUp(memory, key: "ck_alpha", fingerprint: fingerprint, table: 8) == nil)
    }

    @Test func aRememberedKeyIsFoundAgainByItsBytes() {
        let memory = VerifiedCredentials()
        let principals = (0..<50).map { Principal(key: "ck_\($0)", organizationID: "org-\($0)", scopes: ["calls:read"]) }
        let fingerprint = Self.fingerprint("cs_right")
        for principal in principals {
            memory.remember(VerifiedCredentials.Entry(table: 1, fingerprint: fingerprint, principal: principal))
        }
        // Fifty keys in 4,096 slots: most keep their entry, and each one found is its own.
        var found = 0
        for principal in principals {
            guard let remembered = lookUp(memory, key: principal.key, fingerprint: fingerprint, table: 1) else { continue }
            #expect(remembered.organizationID == principal.organizationID)
            found += 1
        }
        #expect(found >= 45)
        #expect(lookUp(memory, key: "ck_50", fingerprint: fingerprint, table: 1) == nil)
    }

    private func lookUp(_ memory: VerifiedCredentials, key: String, fingerprint: VerifiedCredentials.Fingerprint, table: UInt64) -> Principal? {
        Array(key.utf8).withUnsafeBytes { memory.principal(key: $0, fingerprint: fingerprint, table: table) }
    }

    private static func fingerprint(_ secret: String) -> VerifiedCredentials.Fingerprint {
        Array(secret.utf8).withUnsafeBytes { VerifiedCredentials.fingerprint($0) }
    }
}
