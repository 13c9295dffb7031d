import Testing
@testable import CallCore

/// The changes feed against a model of the client it serves: a copy that applies every page in order, resuming from
/// each answer's position, across random writes, deletions, compactions of the feed, snapshots and new epochs,
/// must equal the organization's calls whenever an answer says nothing more is waiting.
@Suite struct ChangeLogTests {
    private typealias Generator = TestSupport.SeededGenerator

    /// A client's copy of one organization: calls by `id`, and the `since` it continues from.
    private struct Copy {
        static let signer = ChangesTokenSigner(secret: [UInt8](repeating: 3, count: 32))
        var calls: [String: Call] = [:]
        var since: String?

        /// Applies pages until one says nothing more waits (starting over on a 410, as API.md tells a client to);
        /// returns how many changes it applied.
        mutating func catchUp(_ log: ChangeLog, organization: String, limit: Int) -> Int {
            var applied = 0
            while true {
                var request = ChangesRequest()
                request.since = since
                request.limit = limit
                let answer: ChangesAnswer
                do throws(APIError) {
                    answer = try log.answer(request, organizationID: organization, signer: Self.signer)
                } catch {
                    #expect(error.status == 410 && since != nil, "\(error)")
                    self = Copy()
                    continue
                }
                #expect(answer.page.count <= limit)
                for entry in answer.page.entries {
                    if entry.isDeletion {
                        calls[entry.call.id] = nil
                    } else {
                        calls[entry.call.id] = entry.call
                    }
                }
                applied += answer.page.count
                since = answer.nextSince
                if !answer.page.hasMore { return applied }
            }
        }
    }

    private func calls(of store: IndexedCallStore, organization: String) -> [String: Call] {
        Dictionary(uniqueKeysWithValues: (store.partitions[organization]?.liveCalls ?? []).map { ($0.id, $0) })
    }

    @Test(arguments: [1, 2, 3])
    func aCopyThatAppliesEveryPageEqualsTheCalls(seed: UInt64) throws {
        var g = Generator(seed: seed)
        var ids = 0
        var store = try IndexedCallStore(calls: RandomCalls.randomStore(&g, size: 300, ids: &ids))
        var log = ChangeLog.seeded(from: store)
        log.beginEpoch(7)
        var copies: [String: Copy] = [:]
        for round in 0..<200 {
            let batch = RandomCalls.randomBatch(&g, existing: store.allCalls, ids: &ids).map { mutation -> CallMutation in
                guard case .delete(let organization, let callID, _) = mutation else { return mutation }
                return .delete(organizationID: organization, callID: callID, deletedAt: Int64(round))
            }
            let next = store.applying(batch)
            // Keep deletions for 150 rounds' worth of time.
            log.record([.mutations(batch)], before: store, oldestKept: Int64(round) - 150)
            store = next
            if Int.random(in: 0..<5, using: &g) == 0 {
                let organization = RandomCalls.organizations.randomElement(using: &g) ?? "org-a"
                var copy = copies[organization] ?? Copy()
                _ = copy.catchUp(log, organization: organization, limit: Int.random(in: 1...40, using: &g))
                #expect(copy.calls == calls(of: store, organization: organization), "round \(round), \(organization)")
                copies[organization] = copy
            }
            if round % 50 == 49 {
                // Through a snapshot, as a restart reads it, and into a new epoch.
                let positions = StoreSnapshot.callPositions(of: store)
                log = try #require(ChangeLog.fromSnapshot(
                    epochs: log.snapshotEpochBytes(), organizations: log.snapshotOrganizationBytes(positions: positions),
                    store: store, positions: positions))
                log.beginEpoch(UInt64(100 + round))
            }
        }
        for organization in RandomCalls.organizations {
            var copy = copies[organization] ?? Copy()
            _ = copy.catchUp(log, organization: organization, limit: 1000)
            #expect(copy.calls == calls(of: store, organization: organization))
            // Nothing new: the next answer is empty.
            #expect(copy.catchUp(log, organization: organization, limit: 10) == 0)
        }
    }

    @Test func aCallWrittenManyTimesAppearsOnceAtItsLatestState() throws {
        var store = try IndexedCallStore(calls: [])
        var log = ChangeLog()
        log.beginEpoch(1)
        for version in 0..<5000 {
            let call = TestSupport.call("hot", transcript: "version \(version)", updated: Int64(version))
            let next = store.applying([.upsert(call)])
            log.record([.mutations([.upsert(call)])], before: store, oldestKept: 0)
            store = next
        }
        let page = log.page(organizationID: "org-1", after: 0, limit: 1000)
        #expect(page.count == 1)
        #expect(page.entries.first?.call.transcript == "version 4999")
        #expect(!page.hasMore)
        // Superseded entries were dropped as they piled up.
        #expect((log.organizations["org-1"]?.count ?? 0) < 2 * 1024 + 2)
    }

    @Test func aDeletionIsReportedWithTheDeletedIdAndTime() throws {
        let call = TestSupport.call("c-1", updated: 5)
        var store = try IndexedCallStore(calls: [])
        var log = ChangeLog()
        log.beginEpoch(1)
        let batch: [CallMutation] = [.upsert(call), .delete(organizationID: "org-1", callID: "c-1", deletedAt: 9)]
        let next = store.applying(batch)
        log.record([.mutations(batch)], before: store, oldestKept: 0)
        store = next
        let page = log.page(organizationID: "org-1", after: 0, limit: 10)
        #expect(page.count == 1)
        #expect(page.entries.first?.isDeletion == true)
        #expect(page.entries.first?.call.id == call.id)
        #expect(page.entries.first?.deletedAt == 9)
        // Deleting what is not stored records nothing.
        var quiet = log
        quiet.record([.mutations([.delete(organizationID: "org-1", callID: "nothing", deletedAt: 10)])], before: store, oldestKept: 0)
        #expect(quiet.organizations["org-1"]?.lastSequence == log.organizations["org-1"]?.lastSequence)
    }

    @Test func positionsOfAnotherHistoryOrBeforeDroppedDeletionsExpire() throws {
        var store = try IndexedCallStore(calls: [])
        var log = ChangeLog()
        log.beginEpoch(11)
        func write(_ batch: [CallMutation], oldestKept: Int64 = 0) {
            let next = store.applying(batch)
            log.record([.mutations(batch)], before: store, oldestKept: oldestKept)
            store = next
        }
        write([.upsert(TestSupport.call("a")), .upsert(TestSupport.call("b"))])
        // A backup taken here holds sequences 1–2 of epoch 11.
        let backup = (log, store)
        log.beginEpoch(12)
        write([.upsert(TestSupport.call("c"))])
        #expect(log.continues(ChangesToken(epoch: 11, sequence: 2, baseline: 0), organizationID: "org-1"))
        #expect(log.continues(ChangesToken(epoch: 12, sequence: 3, baseline: 0), organizationID: "org-1"))
        // Epoch 11 ended at 2 here: a token claiming more of it saw another history.
        #expect(!log.continues(ChangesToken(epoch: 11, sequence: 3, baseline: 0), organizationID: "org-1"))
        #expect(!log.continues(ChangesToken(epoch: 99, sequence: 0, baseline: 0), organizationID: "org-1"))

        // The backup restored and started again: the later tokens are not of this history, even once it grows past them.
        (log, store) = backup
        log.beginEpoch(13)
        write([.upsert(TestSupport.call("d")), .upsert(TestSupport.call("e"))])
        #expect(!log.continues(ChangesToken(epoch: 12, sequence: 3, baseline: 0), organizationID: "org-1"))
        #expect(!log.continues(ChangesToken(epoch: 11, sequence: 3, baseline: 0), organizationID: "org-1"))
        #expect(log.continues(ChangesToken(epoch: 11, sequence: 2, baseline: 0), organizationID: "org-1"))

        // A deletion dropped for age: positions before it expire, later ones do not.
        write([.delete(organizationID: "org-1", callID: "a", deletedAt: 100)])
        let deletion = log.organizations["org-1"]?.lastSequence ?? 0
        write([.upsert(TestSupport.call("f"))], oldestKept: 200)
        #expect(log.organizations["org-1"]?.expiredThrough == deletion)
        #expect(!log.continues(ChangesToken(epoch: 13, sequence: deletion - 1, baseline: 0), organizationID: "org-1"))
        #expect(log.continues(ChangesToken(epoch: 13, sequence: deletion, baseline: 0), organizationID: "org-1"))
    }

    @Test func aCopyStartedAfterADeletionWasDroppedPagesToTheEndButAnOlderOneExpires() throws {
        var store = try IndexedCallStore(calls: [])
        var log = ChangeLog()
        log.beginEpoch(1)
        func write(_ batch: [CallMutation], oldestKept: Int64 = 0) {
            let next = store.applying(batch)
            log.record([.mutations(batch)], before: store, oldestKept: oldestKept)
            store = next
        }
        write((0..<30).map { .upsert(TestSupport.call("c-\($0)")) })
        var old = Copy()
        _ = old.catchUp(log, organization: "org-1", limit: 100)
        write([.delete(organizationID: "org-1", callID: "c-3", deletedAt: 100)])
        // The deletion is dropped at the next write: the old copy, which holds c-3, cannot go on.
        write([.upsert(TestSupport.call("c-30"))], oldestKept: 200)
        #expect(log.organizations["org-1"]?.expiredThrough == 31)
        var request = ChangesRequest()
        request.since = old.since
        #expect(throws: APIError.self) { try log.answer(request, organizationID: "org-1", signer: Copy.signer) }
        // A copy started now from null pages to the end in small pages (its tokens lie before the dropped deletion,
        // which it never needed), and so does one that had read past the deletion before it was dropped.
        var fresh = Copy()
        _ = fresh.catchUp(log, organization: "org-1", limit: 4)
        #expect(fresh.calls == calls(of: store, organization: "org-1"))
        write([.delete(organizationID: "org-1", callID: "c-4", deletedAt: 300)])
        _ = fresh.catchUp(log, organization: "org-1", limit: 4)
        write([.upsert(TestSupport.call("c-31"))], oldestKept: 400)
        _ = fresh.catchUp(log, organization: "org-1", limit: 4)
        #expect(fresh.calls == calls(of: store, organization: "org-1"))
    }

    @Test func tokensOpenOnlyForTheirOrganizationAndSecret() {
        let signer = ChangesTokenSigner(secret: [UInt8](repeating: 1, count: 32))
        let token = ChangesToken(epoch: 0xDEAD_BEEF, sequence: 42, baseline: 7)
        let text = signer.text(of: token, organizationID: "org-1")
        #expect(text.count == 55)
        #expect(signer.open(text, organizationID: "org-1") == token)
        #expect(signer.open(text, organizationID: "org-2") == nil)
        #expect(ChangesTokenSigner(secret: [UInt8](repeating: 2, count: 32)).open(text, organizationID: "org-1") == nil)
        var altered = Array(text.utf8)
        altered[10] = altered[10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(signer.open(String(decoding: altered, as: UTF8.self), organizationID: "org-1") == nil)
        for junk in ["", "x", String(repeating: "A", count: 55), String(repeating: "A", count: 5000), "%%%"] {
            #expect(signer.open(junk, organizationID: "org-1") == nil)
        }
    }

    @Test func requestsAreDecodedStrictly() throws {
        #expect(try ChangesRequest.decode([]) == ChangesRequest())
        let full = try ChangesRequest.decode(Array(#"{"since":"abc","limit":1000,"include_transcript":false}"#.utf8))
        #expect(full.since == "abc" && full.limit == 1000)
        let cases: [(String, String)] = [
            (#"{"limit":0}"#, "limit"), (#"{"limit":1001}"#, "limit"), (#"{"limit":"5"}"#, "limit"),
            (#"{"since":5}"#, "since"), (#"{"other":1}"#, "other"), (#"{"include_transcript":true,"limit":101}"#, "limit"),
            (#"[]"#, "object"), (#"{"#, "JSON"),
        ]
        for (body, named) in cases {
            let error = TestSupport.apiError { () throws(APIError) in try ChangesRequest.decode(Array(body.utf8)) }
            #expect(error?.status == 400, "\(body)")
            #expect(error?.message.contains(named) == true, "\(body): \(error?.message ?? "")")
        }
    }
}
