import CallCore
import Testing

/// Random stores, queries and write batches: the indexed engine must return exactly the reference engine's page
/// and total for every query, on every version, including versions kept from before later writes.
@Suite("IndexedCallStore agrees with the reference engine")
struct IndexedCallStorePropertyTests {
    private typealias Generator = TestSupport.SeededGenerator

    private func expectSame(
        _ indexed: IndexedCallStore, _ reference: InMemoryCallStore, _ g: inout Generator, queries: Int
    ) -> Int {
        var failures = 0
        for _ in 0..<queries {
            let query = RandomCalls.randomQuery(&g)
            for organization in RandomCalls.organizations + ["org-none"] {
                let actual = indexed.list(query, organizationID: organization)
                let wanted = reference.list(query, organizationID: organization)
                // The indexed page is written from the partition's records in place; comparing pages looks at their
                // `calls`, so the written bytes are compared too.
                let written = ListResponseWriter.envelope(query: query, organizationID: organization, page: actual)
                let rewritten = ListResponseWriter.envelope(query: query, organizationID: organization, page: wanted)
                if actual != wanted || written != rewritten {
                    failures += 1
                    if failures <= 3 {
                        Issue.record("""
                            \(organization) \(query): total \(actual.totalCount) vs \(wanted.totalCount); \
                            ids \(actual.calls.map(\.callID)) vs \(wanted.calls.map(\.callID))
                            """)
                    }
                }
            }
        }
        return failures
    }

    @Test func randomQueriesAndWritesAgreeWithTheReference() throws {
        var g = Generator(seed: 4242)
        var ids = 0
        let sizes = [0, 1, 5, 40, 120, 300, 300, 900, 2500]
        for size in sizes {
            let calls = RandomCalls.randomStore(&g, size: size, ids: &ids)
            // Small thresholds, so rebuilds (in the background and adopted later, or inside the write) happen often.
            let options = IndexedCallStore.Options(
                minimumDelta: Int.random(in: 2...40, using: &g), rebuildDivisor: 4, rebuildInBackground: Bool.random(using: &g))
            var indexed = try IndexedCallStore(calls: calls, options: options)
            var reference = try InMemoryCallStore(calls: calls)
            var failures = expectSame(indexed, reference, &g, queries: size > 1000 ? 25 : 50)
            var kept: [(IndexedCallStore, InMemoryCallStore)] = []
            for round in 0..<8 {
                let batch = RandomCalls.randomBatch(&g, existing: reference.allCalls, ids: &ids)
                if round % 3 == 0 { kept.append((indexed, reference)) }
                indexed = indexed.applying(batch)
                reference = reference.applying(batch)
                #expect(indexed.count == reference.count)
                for call in reference.allCalls.prefix(30) {
                    #expect(indexed.call(organizationID: call.organizationID, callID: call.callID) == call)
                }
                failures += expectSame(indexed, reference, &g, queries: size > 1000 ? 8 : 20)
            }
            // Older versions are untouched by the writes that followed them.
            for (oldIndexed, oldReference) in kept {
                failures += expectSame(oldIndexed, oldReference, &g, queries: 10)
            }
            #expect(failures == 0, "store of \(size) calls")
        }
    }

    @Test func rejectsTheSameDuplicatesAsTheReference() {
        let a = TestSupport.call("c1", id: "00000000-0000-0000-0000-000000000001")
        let sameID = TestSupport.call("c2", id: "00000000-0000-0000-0000-000000000001")
        let sameCallID = TestSupport.call("c1", id: "00000000-0000-0000-0000-000000000003")
        let otherOrganization = TestSupport.call("c1", id: "00000000-0000-0000-0000-000000000004", organization: "org-2")
        for calls in [[a, sameID], [a, sameCallID], [a, otherOrganization], [a, sameCallID, sameID], [sameID, otherOrganization, a]] {
            let indexed = TestSupport.apiError { () throws(APIError) in try IndexedCallStore(calls: calls) }
            let reference = TestSupport.apiError { () throws(APIError) in try InMemoryCallStore(calls: calls) }
            #expect(indexed == reference)
        }
    }
}
