import Foundation
import Testing
@testable import CallCore

/// The data directory's cursor secret: made once, private, the same after a restart, another directory's another.
@Suite struct CursorSecretTests {
    @Test func theSecretIsMadeOnceAndKeptPrivate() throws {
        let directory = JournalTestDirectory("cursor-secret")
        defer { directory.remove() }
        let first = try DataDirectory(path: directory.path)
        let secret = try first.cursorSecret()
        #expect(secret.count == ListCursorSigner.secretLength)
        #expect(try first.cursorSecret() == secret)
        first.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.path + "/CURSOR_SECRET")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let reopened = try DataDirectory(path: directory.path)
        defer { reopened.close() }
        #expect(try reopened.cursorSecret() == secret)

        let other = JournalTestDirectory("cursor-secret-other")
        defer { other.remove() }
        let elsewhere = try DataDirectory(path: other.path)
        defer { elsewhere.close() }
        #expect(try elsewhere.cursorSecret() != secret)
    }

    @Test func aDamagedSecretIsReportedNotReplaced() throws {
        let directory = JournalTestDirectory("cursor-secret-damaged")
        defer { directory.remove() }
        let opened = try DataDirectory(path: directory.path)
        defer { opened.close() }
        _ = try opened.cursorSecret()
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory.path + "/CURSOR_SECRET"))
        #expect(throws: DataDirectoryError.self) { _ = try opened.cursorSecret() }
        #expect(directory.read("CURSOR_SECRET") == [1, 2, 3])
    }
}
