@testable import CallCore
import Testing

/// The word intersection reads its factors' words, and the page selectors the matches' bits, through unchecked
/// pointers, relying on every bitmap of a partition covering exactly its rows (the asserts at those reads say so).
/// A partition built from calls, and the same partition loaded back from a snapshot, hold that for every posting,
/// ranked and cut bitmap, and for every factor the filters of random queries make.
@Suite("Partition bitmaps cover their rows")
struct PartitionCoverageTests {
    private typealias Generator = TestSupport.SeededGenerator

    /// The structures of `base` whose bitmaps do not have exactly the words of its rows.
    private static func uncovered(_ base: BasePartition) -> [String] {
        let words = RowBitmap.wordCount(base.rowCount)
        var found: [String] = []
        func check(_ name: String, _ bitmaps: [RowBitmap]) {
            if let bad = bitmaps.first(where: { $0.words.count != words }) { found.append("\(name): \(bad.words.count) words, not \(words)") }
        }
        func check(_ name: String, _ table: PostingTable) {
            if table.rowCount != base.rowCount { found.append("\(name): \(table.rowCount) rows, not \(base.rowCount)") }
            check(name, table.bitmaps)
        }
        for (name, column) in [
            ("status", base.status), ("type", base.type), ("direction", base.direction), ("agent", base.agent),
            ("from", base.fromNumber), ("to", base.toNumber),
        ] {
            check(name, column.postings)
        }
        check("words", base.transcript.wordRows)
        check("pairs", base.transcript.pairRows)
        check("triples", base.transcript.tripleRows)
        for field in SortField.allCases {
            guard let ranked = base.ranked(field) else { continue }
            check("ranked \(field)", ranked.status + ranked.type + ranked.direction)
        }
        check("duration cuts", base.durationCuts.below)
        check("updated cuts", base.updatedCuts.below)
        return found
    }

    /// How many factors random queries' criteria make on `base`, and how many of them do not cover its rows.
    private static func factors(_ base: BasePartition, _ g: inout Generator) -> (checked: Int, uncovered: Int) {
        var (checked, uncovered) = (0, 0)
        for _ in 0..<200 {
            let filter = RandomCalls.randomQuery(&g).filter
            guard let constraints = PartitionMatcher.constraints(filter, base) else { continue }
            let words = RowBitmap.wordRange(0..<base.rowCount)
            for constraint in constraints {
                checked += 1
                if !constraint.factor(base, words: words).covers(wordCount: RowBitmap.wordCount(base.rowCount)) { uncovered += 1 }
            }
        }
        return (checked, uncovered)
    }

    @Test func builtAndLoadedPartitionsCoverTheirRows() throws {
        var g = Generator(seed: 4242)
        // Past the size from which the duration and updated_timestamp orders keep cut bitmaps (about two calls in
        // five have a duration).
        let size = 3 * OrderCutBitmaps.minimumPositions + 77
        let calls = (0..<size).map { index in
            RandomCalls.randomCall(&g, organization: "org-a", callID: "c-\(index)", id: TestSupport.uuid(for: "coverage-\(index)"))
        }
        let built = try IndexedCallStore(calls: calls)
        let directory = JournalTestDirectory("partition-coverage")
        defer { directory.remove() }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory)
            try journal.compact(upTo: 0) { writer throws(JournalError) in try StoreSnapshot.write(built, to: writer) }
            journal.close()
            dataDirectory.close()
        }
        let (dataDirectory, journal, recovered) = try openJournal(directory, options: Journal.Options(readsSnapshotPayload: false))
        defer {
            journal.close()
            dataDirectory.close()
        }
        let location = try #require(recovered.snapshotLocation)
        let loaded = try StoreSnapshot.load(location, legacyUpdatedTimestamp: 0)
        for (name, store) in [("built", built), ("loaded", loaded)] {
            let base = try #require(store.partitions["org-a"]?.base)
            #expect(base.rowCount == size, "\(name)")
            #expect(!base.durationCuts.below.isEmpty && !base.updatedCuts.below.isEmpty, "\(name): the orders keep cuts")
            #expect(Self.uncovered(base) == [], "\(name)")
            let factors = Self.factors(base, &g)
            #expect(factors.uncovered == 0, "\(name)")
            // Random filters that made no factor at all would leave the check above with nothing to check.
            #expect(factors.checked > 100, "\(name): \(factors.checked) factors checked")
        }
    }
}
