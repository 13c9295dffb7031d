import Foundation
import Testing
@testable import CallCore

@Suite struct DataDirectoryTests {
    @Test func createsDirectoryWithFormatFile() throws {
        let directory = JournalTestDirectory("datadir")
        defer { directory.remove() }
        let dataDirectory = try DataDirectory(path: directory.path + "/nested/data")
        defer { dataDirectory.close() }
        let format = String(decoding: directory.read("nested/data/FORMAT"), as: UTF8.self)
        #expect(format == "\(DataDirectory.formatVersion)\n")
        #expect(dataDirectory.isOpen)
    }

    @Test func secondOpenIsRefusedWhileTheFirstHoldsTheLock() throws {
        let directory = JournalTestDirectory("datadir")
        defer { directory.remove() }
        let first = try DataDirectory(path: directory.path)
        #expect(throws: DataDirectoryError.locked(path: directory.path)) {
            _ = try DataDirectory(path: directory.path)
        }
        first.close()
        let second = try DataDirectory(path: directory.path)
        second.close()
    }

    @Test func lockedErrorTellsTheOperatorWhatIsWrong() {
        let message = DataDirectoryError.locked(path: "/var/lib/calls").description
        #expect(message.contains("/var/lib/calls"))
        #expect(message.contains("another CallServer"))
    }

    /// `flock` conflicts across processes too: the flock(1) tool cannot take the lock while we hold it.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock")))
    func lockIsVisibleToOtherProcesses() throws {
        let directory = JournalTestDirectory("datadir")
        defer { directory.remove() }
        let dataDirectory = try DataDirectory(path: directory.path)
        #expect(try runFlock(directory.file("LOCK")) != 0)
        dataDirectory.close()
        #expect(try runFlock(directory.file("LOCK")) == 0)
    }

    @Test func unknownFormatVersionIsRefused() throws {
        let directory = JournalTestDirectory("datadir")
        defer { directory.remove() }
        directory.write("FORMAT", Array("3\n".utf8))
        #expect(throws: DataDirectoryError.unknownFormat(path: directory.path, found: "3", supported: 2)) {
            _ = try DataDirectory(path: directory.path)
        }
        // The refused open must not keep the lock.
        directory.write("FORMAT", Array("2\n".utf8))
        let reopened = try DataDirectory(path: directory.path)
        reopened.close()
    }

    @Test func olderFormatIsMarkedCurrentSoAnOlderReleaseRefusesIt() throws {
        let directory = JournalTestDirectory("datadir")
        defer { directory.remove() }
        directory.write("FORMAT", Array("1\n".utf8))
        let opened = try DataDirectory(path: directory.path)
        opened.close()
        #expect(String(decoding: directory.read("FORMAT"), as: UTF8.self) == "2\n")
    }

    @Test func unknownFormatMessageNamesBothVersions() {
        let message = DataDirectoryError.unknownFormat(path: "/d", found: "7", supported: 1).description
        #expect(message.contains("\"7\"") && message.contains("format 1"))
    }

    @Test func nonEmptyDirectoryWithoutFormatIsRefused() throws {
        let directory = JournalTestDirectory("datadir")
        defer { directory.remove() }
        directory.write("notes.txt", Array("mine".utf8))
        #expect(throws: DataDirectoryError.notADataDirectory(path: directory.path, entries: ["notes.txt"])) {
            _ = try DataDirectory(path: directory.path)
        }
    }

    private func runFlock(_ path: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        process.arguments = ["-n", path, "true"]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
