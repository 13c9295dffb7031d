import Foundation
import Testing
@testable import CallCore

/// A store written as an indexed snapshot and loaded back must answer every query exactly as the store it was
/// written from (base, held writes and all), and a damaged or truncated snapshot must be refused, never misread.
@Suite struct StoreSnapshotTests {
    private typealias Generator = TestSupport.SeededGenerator

    /// Writes `write` as the snapshot of a fresh data directory.
    private func writeSnapshot(
        _ directory: JournalTestDirectory, _ write: (JournalSnapshotWriter) throws(JournalError) -> Void
    ) throws {
        let (dataDirectory, journal, _) = try openJournal(directory)
        try journal.compact(upTo: 0, writeSnapshot: write)
        journal.close()
        dataDirectory.close()
    }

    /// Loads the snapshot in `directory` the way the server does; when `current` is given, it must be in this
    /// release's format (the index and every call's updated_timestamp) exactly when that says so (older formats load
    /// too, by indexing the calls again or stamping them with `legacyUpdatedTimestamp`).
    private func loadSnapshot(
        _ directory: JournalTestDirectory, current: Bool? = nil, legacyUpdatedTimestamp: Int64 = 0
    ) throws -> IndexedCallStore {
        let (dataDirectory, journal, recovered) = try openJournal(
            directory, options: Journal.Options(readsSnapshotPayload: false))
        defer {
            journal.close()
            dataDirectory.close()
        }
        #expect(recovered.snapshot == nil)
        let location = try #require(recovered.snapshotLocation)
        if let current { #expect(StoreSnapshot.isCurrent(location) == current) }
        return try StoreSnapshot.load(location, legacyUpdatedTimestamp: legacyUpdatedTimestamp)
    }

    private func mismatches(_ a: IndexedCallStore, _ b: IndexedCallStore, _ g: inout Generator, queries: Int) -> Int {
        var failures = 0
        for _ in 0..<queries {
            let query = RandomCalls.randomQuery(&g)
            for organization in RandomCalls.organizations + ["org-none"] where a.list(query, organizationID: organization) != b.list(query, organizationID: organization) {
                failures += 1
                if failures <= 3 { Issue.record("\(organization) \(query)") }
            }
        }
        return failures
    }

    @Test func loadedStoreAnswersEveryQueryLikeTheOriginal() throws {
        var g = Generator(seed: 777)
        var ids = 0
        for size in [0, 1, 40, 300, 2500] {
            // A high rebuild threshold keeps writes in the delta, which the snapshot must carry too.
            let options = IndexedCallStore.Options(minimumDelta: 10_000, rebuildInBackground: false)
            var (original, reference) = try RandomCalls.writtenStores(&g, size: size, batches: 6, ids: &ids, options: options)
            let directory = JournalTestDirectory("store-snapshot")
            defer { directory.remove() }
            let written = original
            try writeSnapshot(directory) { writer throws(JournalError) in try StoreSnapshot.write(written, to: writer) }
            var loaded = try loadSnapshot(directory, current: true)
            #expect(loaded.count == original.count)
            let sameCalls = loaded.allCalls == original.allCalls
            #expect(sameCalls)
            for call in reference.allCalls.prefix(50) {
                #expect(loaded.call(organizationID: call.organizationID, callID: call.callID) == call)
            }
            var failures = mismatches(loaded, original, &g, queries: 150)
            // Writes after the load behave as they would on the original.
            let batch = RandomCalls.randomBatch(&g, existing: reference.allCalls, ids: &ids)
            loaded = loaded.applying(batch)
            original = original.applying(batch)
            failures += mismatches(loaded, original, &g, queries: 40)
            #expect(failures == 0, "store of \(size) calls")
        }
    }

    @Test func callsOnlySnapshotIsStillLoadedAndIndexed() throws {
        var g = Generator(seed: 31)
        var ids = 0
        let calls = RandomCalls.randomStore(&g, size: 400, ids: &ids)
        let built = try IndexedCallStore(calls: calls)
        let directory = JournalTestDirectory("store-snapshot-v1")
        defer { directory.remove() }
        try writeSnapshot(directory) { writer throws(JournalError) in try writer.write(CallBinaryCodec.encode(calls)) }
        let loaded = try loadSnapshot(directory, current: false)
        #expect(loaded.count == 400)
        #expect(mismatches(loaded, built, &g, queries: 60) == 0)
    }

    /// Damage to a section derived from the calls is repaired by building the index again from the calls; damage
    /// anywhere else (header, calls, held writes, directory) is refused, never misread.
    @Test func damagedIndexSectionsAreRebuiltAndOtherDamageIsRefused() throws {
        var g = Generator(seed: 5)
        var ids = 0
        let store = try IndexedCallStore(calls: RandomCalls.randomStore(&g, size: 300, ids: &ids))
            .applying(RandomCalls.randomBatch(&g, existing: [], ids: &ids))
        let directory = JournalTestDirectory("store-snapshot-damage")
        defer { directory.remove() }
        try writeSnapshot(directory) { writer throws(JournalError) in try StoreSnapshot.write(store, to: writer) }
        let path = directory.file(JournalSnapshotFile.name)
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let header = JournalSnapshotFile.headerSize
        let sections = try directory.snapshotSections()
        /// The tag of the section holding file byte `position`, nil outside every section.
        func tag(at position: Int) -> UInt32? {
            sections.first { (header + $0.offset)..<(header + $0.offset + $0.length) ~= position }?.tag
        }
        func load(_ bytes: [UInt8], fixingHeader: Bool) throws -> IndexedCallStore? {
            var file = bytes
            if fixingHeader {
                // A header that agrees with the damaged payload: only the snapshot's own checks remain.
                let payload = Array(file[header...])
                file = JournalSnapshotFile.header(
                    sequence: 0, length: UInt64(payload.count), checksum: CRC32C.checksum(payload)) + payload
            }
            try Data(file).write(to: URL(fileURLWithPath: path))
            return try? loadSnapshot(directory)
        }
        var rebuilt = 0
        let step = max(1, original.count / 61)
        for position in stride(from: 0, to: original.count, by: step) + [original.count - 1, header, header + 9] {
            var damaged = original
            damaged[position] ^= 0x5A
            for fixingHeader in [false, true] where !fixingHeader || position >= header {
                let loaded = try load(damaged, fixingHeader: fixingHeader)
                let same = loaded.map { $0.allCalls == store.allCalls && mismatches($0, store, &g, queries: 10) == 0 }
                if fixingHeader {
                    // Only a forger makes the header agree with damage: refused or repaired, never misread.
                    #expect(same != false, "byte \(position) flipped, header fixed")
                } else if let tag = tag(at: position), StoreSnapshotRepair.rebuildable.contains(tag) {
                    #expect(same == true, "byte \(position) (section tag \(tag)) flipped: rebuilt")
                    rebuilt += 1
                } else {
                    #expect(loaded == nil, "byte \(position) flipped, header fixed: \(fixingHeader)")
                }
            }
        }
        #expect(rebuilt > 10)
        for length in [0, 10, header, header + 4, header + 100, original.count / 2, original.count - 30, original.count - 1] {
            let truncated = Array(original[0..<length])
            #expect(try load(truncated, fixingHeader: false) == nil, "truncated to \(length)")
            if length >= header { #expect(try load(truncated, fixingHeader: true) == nil, "truncated to \(length), header fixed") }
        }
        try Data(original).write(to: URL(fileURLWithPath: path))
        let restored = try loadSnapshot(directory).allCalls == store.allCalls
        #expect(restored)
    }
}
