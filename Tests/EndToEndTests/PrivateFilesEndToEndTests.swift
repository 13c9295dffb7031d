import Foundation
import Glibc
import Testing

/// The permission bits of `path`, not following a link.
private func mode(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
}

/// The modes of the data directory, its files and the keys file, read with `lstat`.
@Suite(.serialized) struct PrivateFilesEndToEndTests {
    @Test func theDataDirectoryItsFilesAndTheKeysFileArePrivate() throws {
        let s = try GuardedServer([])
        #expect(try s.put("c-1").status == 201)
        let data = s.directory.appendingPathComponent("data").path
        #expect(mode(data) == 0o700)
        #expect(mode(s.directory.appendingPathComponent("keys.json").path) == 0o600)
        // A clean stop compacts: the snapshot is written too.
        #expect(s.server.stop() == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: data)
        #expect(names.contains("LOCK") && names.contains("FORMAT") && names.contains("snapshot"))
        for name in names {
            #expect(mode(data + "/" + name) == 0o600, "\(name)")
        }
    }

    @Test func anExistingDataDirectoryAndKeysFileAreTightenedAtStart() throws {
        let s = try GuardedServer([]) { directory in
            let data = directory.appendingPathComponent("data").path
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o755])
            #expect(chmod(data, 0o755) == 0)
            #expect(chmod(directory.appendingPathComponent("keys.json").path, 0o644) == 0)
        }
        #expect(mode(s.directory.appendingPathComponent("data").path) == 0o700)
        #expect(mode(s.directory.appendingPathComponent("keys.json").path) == 0o600)
        #expect(try s.put("c-1").status == 201)

        // Files an older build left readable are tightened at the next start too.
        #expect(s.server.stop() == 0)
        let data = s.directory.appendingPathComponent("data").path
        let names = try FileManager.default.contentsOfDirectory(atPath: data)
        for name in names { #expect(chmod(data + "/" + name, 0o644) == 0) }
        #expect(chmod(data, 0o755) == 0)
        try s.restart()
        #expect(mode(data) == 0o700)
        for name in names { #expect(mode(data + "/" + name) == 0o600, "\(name)") }
        #expect(try s.send("GET", "/api/calls/c-1", credential: s.reader).status == 200)
    }
}
