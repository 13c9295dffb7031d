import CallCore
import Testing

/// Paging by cursor through random stores while random writes land between pages: every page of the indexed
/// engine equals the reference engine's slice after the cursor's position (calls, total and the first call's
/// position), and the pages together hold every call that matched throughout and kept its sort value exactly
/// once, in order (and without writes, every matching call once).
@Suite("Cursor pages agree with the reference engine")
struct CursorPagingPropertyTests {
    private typealias Generator = TestSupport.SeededGenerator

    /// Every call matching `query` in `organization` on `store`, in list order, by id with its position key.
    private func everyMatch(_ store: InMemoryCallStore, _ query: ListQuery, _ organization: String) -> [(id: String, key: OrderKey)] {
        var all = query
        all.page = 0
        all.limit = Int.max / 2
        return store.list(all, organizationID: organization).calls.map { ($0.id, OrderKey($0, field: query.sortBy)) }
    }

    @Test func cursorPagesEqualTheReferenceWithWritesBetweenPages() throws {
        var g = Generator(seed: 9090)
        var ids = 0
        var failures = 0
        for size in [0, 1, 7, 60, 300, 900, 2500] {
            let calls = RandomCalls.randomStore(&g, size: size, ids: &ids)
            let options = IndexedCallStore.Options(
                minimumDelta: Int.random(in: 2...40, using: &g), rebuildDivisor: 4, rebuildInBackground: Bool.random(using: &g))
            var indexed = try IndexedCallStore(calls: calls, options: options)
            var reference = try InMemoryCallStore(calls: calls)
            for _ in 0..<(size > 1000 ? 12 : 30) {
                var query = RandomCalls.randomQuery(&g)
                query.page = 0
                let organization = RandomCalls.organizations.randomElement(using: &g) ?? "org-a"
                let ordering = CallOrdering(field: query.sortBy, order: query.sortOrder)
                // Writes between pages at the sizes where rebuilding the reference per page stays quick.
                let writing = size <= 900 && Bool.random(using: &g)
                // Calls that match in every version seen, with their key then: each must be listed once.
                var throughout = Dictionary(uniqueKeysWithValues: everyMatch(reference, query, organization).map { ($0.id, $0.key) })
                var listed: [(id: String, key: OrderKey)] = []
                var after: OrderKey?
                var reachedEnd = false
                for _ in 0..<1000 {
                    query.limit = Int.random(in: 1...9, using: &g)
                    let actual = indexed.list(query, after: after, organizationID: organization)
                    let wanted = reference.list(query, after: after, organizationID: organization)
                    if actual != wanted {
                        failures += 1
                        if failures <= 3 {
                            Issue.record("""
                                \(organization) \(query) after \(String(describing: after)): total \(actual.totalCount) vs \
                                \(wanted.totalCount), first \(actual.firstPosition) vs \(wanted.firstPosition); ids \
                                \(actual.calls.map(\.callID)) vs \(wanted.calls.map(\.callID))
                                """)
                        }
                    }
                    listed += wanted.calls.map { call -> (id: String, key: OrderKey) in (call.id, OrderKey(call, field: query.sortBy)) }
                    guard wanted.firstPosition + wanted.count < wanted.totalCount, let last = wanted.lastCall else {
                        reachedEnd = true
                        break
                    }
                    // The row hint the server's cursor carries, or a wrong one (a base rebuilt since): never a
                    // different page.
                    let hint = Bool.random(using: &g) ? actual.lastBaseRow : Int.random(in: -1...(size + 1), using: &g)
                    after = OrderKey(last, field: query.sortBy, baseRow: hint)
                    if writing {
                        let batch = RandomCalls.randomBatch(&g, existing: reference.allCalls, ids: &ids)
                        indexed = indexed.applying(batch)
                        reference = reference.applying(batch)
                        let now = Dictionary(uniqueKeysWithValues: everyMatch(reference, query, organization).map { ($0.id, $0.key) })
                        throughout = throughout.filter { now[$0.key] == $0.value }
                    }
                }
                // A call whose sort value changed may come again (after the cursor); one that kept it, exactly once.
                let counts = Dictionary(listed.map { ($0.id, 1) }, uniquingKeysWith: +)
                let inOrder = zip(listed, listed.dropFirst()).allSatisfy { ordering.precedes($0.key, $1.key) }
                let once = throughout.keys.allSatisfy { counts[$0] == 1 }
                if !reachedEnd || !inOrder || !once || (!writing && counts.count != listed.count) {
                    failures += 1
                    Issue.record("\(organization) \(query): \(listed.count) listed, end \(reachedEnd), in order \(inOrder), once \(once)")
                }
            }
        }
        #expect(failures == 0)
    }

    @Test func aCursorWhoseCallWasDeletedContinuesAfterItsPosition() throws {
        let calls = (0..<30).map { index in
            TestSupport.call("c\(index)", id: TestSupport.uuid(for: "cursor-\(index)"), start: Int64(index % 10) * 1000)
        }
        for options in [IndexedCallStore.Options(), IndexedCallStore.Options(minimumDelta: 1, rebuildDivisor: 1, rebuildInBackground: false)] {
            var indexed = try IndexedCallStore(calls: calls, options: options)
            var reference = try InMemoryCallStore(calls: calls)
            let query = ListQuery(limit: 7, sortBy: .startTimestamp, sortOrder: .ascending)
            let first = reference.list(query, organizationID: "org-1")
            let last = try #require(first.lastCall)
            let removal: [CallMutation] = [.delete(organizationID: "org-1", callID: last.callID)]
            indexed = indexed.applying(removal)
            reference = reference.applying(removal)
            let key = OrderKey(last, field: .startTimestamp)
            let next = reference.list(query, after: key, organizationID: "org-1")
            #expect(next.firstPosition == 6)
            let everything = reference.list(ListQuery(limit: 100, sortBy: .startTimestamp, sortOrder: .ascending), organizationID: "org-1")
            #expect(next.calls == Array(everything.calls[6..<13]))
            #expect(indexed.list(query, after: key, organizationID: "org-1") == next)
        }
    }
}
