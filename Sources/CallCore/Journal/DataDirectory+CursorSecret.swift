#if canImport(Glibc)
import Glibc
#endif

extension DataDirectory {
    /// The file holding the secret that signs list cursors.
    static let cursorSecretName = "CURSOR_SECRET"

    /// The secret list cursors are signed with: random bytes made the first time and kept in `CURSOR_SECRET`
    /// (`0600`, like every file here), so cursors survive restarts and a server on another directory rejects them.
    public func cursorSecret() throws(DataDirectoryError) -> [UInt8] {
        let path = file(Self.cursorSecretName)
        do throws(JournalPOSIXFailure) {
            if let existing = try JournalPOSIX.readFile(path) {
                // A damaged secret is not replaced silently: every cursor issued would stop working.
                guard existing.count == ListCursorSigner.secretLength else {
                    throw JournalPOSIXFailure(operation: "read a \(ListCursorSigner.secretLength)-byte secret from", path: path, code: EINVAL)
                }
                return existing
            }
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<ListCursorSigner.secretLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            // Written beside its name and renamed into place, so a crash leaves none or a whole one.
            let temporary = path + ".tmp"
            let descriptor = try JournalPOSIX.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
            defer { JournalPOSIX.close(descriptor) }
            try JournalPOSIX.writeAll(descriptor, secret, at: 0, path: temporary)
            try JournalPOSIX.fullSync(descriptor, path: temporary)
            try JournalPOSIX.rename(temporary, to: path)
            try sync()
            return secret
        } catch {
            throw DataDirectoryError(error)
        }
    }
}
