@testable import CallServer
import Testing

/// The memory of verified credentials answers only for the very key, secret and key table it verified, even when
/// another key lands on the same slot.
@Suite struct VerifiedCredentialsTests {
    @Test func aRememberedPrincipalNeedsItsOwnKeySecretAndTable() {
        let memory = VerifiedCredentials(slot: { _ in 0 })  // every key on one slot
        let principal = Principal(key: "ck_alpha", organizationID: "org-a", scopes: ["calls:read"])
        let fingerprint = Self.fingerprint("cs_right")
        memory.remember(VerifiedCredentials.Entry(table: 7, fingerprint: fingerprint, principal: principal))

        #expect(lookUp(memory, key: "ck_alpha", fingerprint: fingerprint, table: 7)?.organizationID == "org-a")
        #expect(lookUp(memory, key: "ck_alphb", fingerprint: fingerprint, table: 7) == nil)
        #expect(lookUp(memory, key: "ck_alph", fingerprint: fingerprint, table: 7) == nil)
        #expect(lookUp(memory, key: "ck_alpha", fingerprint: Self.fingerprint("cs_wrong"), table: 7) == nil)
        #expect(lookUp(memory, key: "ck_alpha", fingerprint: fingerprint, table: 8) == nil)
    }

    private func lookUp(_ memory: VerifiedCredentials, key: String, fingerprint: VerifiedCredentials.Fingerprint, table: UInt64) -> Principal? {
        Array(key.utf8).withUnsafeBytes { memory.principal(key: $0, fingerprint: fingerprint, table: table) }
    }

    private static func fingerprint(_ secret: String) -> VerifiedCredentials.Fingerprint {
        Array(secret.utf8).withUnsafeBytes { VerifiedCredentials.fingerprint($0) }
    }
}
