import Foundation
@testable import CallCore
import Locking

/// A fresh directory path under the system's temporary directory; nothing exists there until a test creates it.
struct JournalTestDirectory: Sendable {
    let path: String

    init(_ label: String = "journal") {
        path = NSTemporaryDirectory() + "callcore-\(label)-" + UUID().uuidString
    }

    /// The path of a file inside it.
    func file(_ name: String) -> String { path + "/" + name }

    /// Deletes the directory and everything in it.
    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The bytes of a file inside it.
    func read(_ name: String) -> [UInt8] {
        FileManager.default.contents(atPath: file(name)).map { Array($0) } ?? []
    }

    /// Writes a file inside it, creating the directory if needed.
    func write(_ name: String, _ bytes: [UInt8]) {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file(name), contents: Data(bytes))
    }

    /// Names of the segment files, oldest first.
    func segmentNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .filter { $0.hasPrefix("journal-") && $0.hasSuffix(".log") }.sorted()
    }
}

/// A recognisable record payload: "record-<n>" followed by `padding` bytes derived from `n`.
func journalRecord(_ number: Int, padding: Int = 0) -> [UInt8] {
    Array("record-\(number)".utf8) + (0..<padding).map { UInt8(truncatingIfNeeded: number &* 31 &+ $0) }
}

extension JournalTestDirectory {
    /// The name of the segment whose first record is number `start` ("" when there is none).
    func segment(startingAt start: UInt64) -> String {
        segmentNames().last { JournalSegmentName.parse($0)?.start == start } ?? ""
    }

    /// The name of the first segment of a fresh journal.
    var firstSegment: String { segment(startingAt: 0) }

    /// The section directory of the indexed snapshot in the directory.
    func snapshotSections() throws -> [SnapshotSection] {
        let (dataDirectory, journal, recovered) = try openJournal(self, options: Journal.Options(readsSnapshotPayload: false))
        defer {
            journal.close()
            dataDirectory.close()
        }
        guard let location = recovered.snapshotLocation else { return [] }
        return try SnapshotSectionReader(location: location).sections
    }
}

/// Opens a data directory and its journal in one step.
func openJournal(
    _ directory: JournalTestDirectory, options: Journal.Options = Journal.Options()
) throws -> (DataDirectory, Journal, Journal.Recovery) {
    let dataDirectory = try DataDirectory(path: directory.path)
    let (journal, recovered) = try Journal.open(directory: dataDirectory, options: options)
    return (dataDirectory, journal, recovered)
}

/// Opens, reads what was recovered, and closes again.
func recoverJournal(_ directory: JournalTestDirectory) throws -> Journal.Recovery {
    let (dataDirectory, journal, recovered) = try openJournal(directory)
    journal.close()
    dataDirectory.close()
    return recovered
}

/// A value many threads can add to; for collecting results in tests.
final class JournalTestLog<Element: Sendable>: Sendable {
    private let items = Locked<[Element]>([])

    func append(_ item: Element) { items.withLock { $0.append(item) } }
    func append(contentsOf more: [Element]) { items.withLock { $0.append(contentsOf: more) } }
    var all: [Element] { items.withLock { $0 } }
}

/// Runs `body(index)` on `count` threads at once and returns when all have finished.
func journalRunConcurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread {
            body(index)
            group.leave()
        }.start()
    }
    group.wait()
}
