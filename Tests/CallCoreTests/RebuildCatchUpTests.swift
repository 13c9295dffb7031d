@testable import CallCore
import Testing

/// A background rebuild replays the writes made during it in passes (on its own thread, then the rest in the
/// adopting write); the outcome must be the version that replaying them all at once would give.
@Suite("A rebuild that catches up in passes")
struct RebuildCatchUpTests {
    @Test func catchingUpInPassesAnswersLikeTheReference() throws {
        var g = TestSupport.SeededGenerator(seed: 9001)
        var ids = 0
        let calls = RandomCalls.randomStore(&g, size: 400, ids: &ids)
        // No automatic rebuilds: the test plays the rebuild thread's part itself.
        let options = IndexedCallStore.Options(minimumDelta: Int.max, rebuildDivisor: 1, rebuildInBackground: false)
        var store = try IndexedCallStore(calls: calls, options: options)
        var reference = try InMemoryCallStore(calls: calls)
        func write() {
            let batch = RandomCalls.randomBatch(&g, existing: reference.allCalls, ids: &ids)
            store = store.applying(batch)
            reference = reference.applying(batch)
        }
        for _ in 0..<3 { write() }
        let organization = try #require(RandomCalls.organizations.first)
        let snapshot = try #require(store.partitions[organization])
        let rebuilt = PartitionVersion(base: BasePartitionBuilder.build(calls: snapshot.liveCalls))

        for _ in 0..<4 { write() }
        let middle = try #require(store.partitions[organization])
        let caughtUp = rebuilt.replaying(middle, from: snapshot.nextSequence)
        for _ in 0..<4 { write() }
        let newest = try #require(store.partitions[organization])
        let adopted = caughtUp.replaying(newest, from: middle.nextSequence)
        let direct = rebuilt.replaying(newest, from: snapshot.nextSequence)

        #expect(adopted.liveCount == reference.list(ListQuery(), organizationID: organization).totalCount)
        var failures = 0
        for _ in 0..<200 {
            let query = RandomCalls.randomQuery(&g)
            let wanted = reference.list(query, organizationID: organization)
            if PartitionQuery.list(query, on: adopted) != wanted { failures += 1 }
            if PartitionQuery.list(query, on: direct) != wanted { failures += 1 }
        }
        #expect(failures == 0)
    }
}
