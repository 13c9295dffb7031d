import Testing
@testable import CallCore

/// `updated_timestamp`: how a write stamps a call, which bodies may carry it, how it is kept in the journal and in
/// snapshots (and given to calls stored before it existed), and how the indexed store orders and filters by it
/// across its base and the writes held on top of it.
@Suite struct UpdatedTimestampTests {
    private typealias Generator = TestSupport.SeededGenerator

    // MARK: - Stamping

    @Test func aWriteStampsTheNewerOfNowAndThePreviousStamp() throws {
        let stored = TestSupport.call("c-1", transcript: "hello", updated: 5_000)
        let changed = TestSupport.call("c-1", transcript: "changed")
        #expect(changed.written(over: nil, at: 7_000)?.updatedTimestamp == 7_000)
        #expect(changed.written(over: stored, at: 9_000)?.updatedTimestamp == 9_000)
        // The clock went back: the stamp stays where it was rather than going back with it.
        #expect(changed.written(over: stored, at: 1_000)?.updatedTimestamp == 5_000)
    }

    @Test func aWriteThatChangesNoStoredFieldIsNoWrite() {
        let stored = TestSupport.call("c-1", transcript: "hello", updated: 5_000)
        // Only the stamp differs (a body never carries it, so a decoded call has another): nothing changes.
        #expect(TestSupport.call("c-1", transcript: "hello", updated: 0).written(over: stored, at: 9_000) == nil)
        #expect(TestSupport.call("c-1", transcript: "hello", metadata: ["k": "v"]).written(over: stored, at: 9_000) != nil)
        #expect(TestSupport.call("c-1", id: TestSupport.uuid(for: "other"), transcript: "hello").written(over: stored, at: 9_000) != nil)
    }

    // MARK: - Bodies

    @Test func bulkLoadLinesMayCarryTheStampAndOtherBodiesMayNot() throws {
        let line = RecordBody.importLine.setting("updated_timestamp", "1765958196238")
        #expect(try CallRecordDecoder.decodeImportLine(line.bytes).updatedTimestamp == 1_765_958_196_238)
        #expect(try CallRecordDecoder.decodeImportLine(RecordBody.importLine.bytes, updatedWhenAbsent: 42).updatedTimestamp == 42)
        #expect(try CallRecordDecoder.decodeImportLine(RecordBody.importLine.setting("updated_timestamp", "null").bytes, updatedWhenAbsent: 42)
            .updatedTimestamp == 42)
        for bad in ["-1", "1.0", "\"5\"", "253402300800000"] {
            let error = TestSupport.apiError { () throws(APIError) in
                try CallRecordDecoder.decodeImportLine(RecordBody.importLine.setting("updated_timestamp", bad).bytes)
            }
            #expect(error?.message.hasPrefix("updated_timestamp ") == true, "\(bad)")
        }

        let put = RecordBody.putBody.setting("updated_timestamp", "5")
        let putError = TestSupport.apiError { () throws(APIError) in
            try CallRecordDecoder.decodePutBody(put.bytes, pathCallID: "call-456", organizationID: "org", id: TestSupport.uuid(for: "x"))
        }
        #expect(putError?.status == 400)
        #expect(putError?.message.hasPrefix("updated_timestamp ") == true)
        let routeLine = TestSupport.apiError { () throws(APIError) in
            try CallRecordDecoder.decodeImportRouteLine(ArraySlice(put.bytes), organizationID: "org")
        }
        #expect(routeLine?.message.hasPrefix("updated_timestamp ") == true)
        let current = try CallRecordDecoder.decodeImportLine(RecordBody.importLine.setting("updated_timestamp", "77").bytes)
        let patch = TestSupport.apiError { () throws(APIError) in
            try CallRecordDecoder.decodePatchBody(Array(#"{"updated_timestamp":99}"#.utf8), current: current)
        }
        #expect(patch?.message.hasPrefix("updated_timestamp ") == true)
        // A patch starts from the stored stamp (the write path then stamps it anew if anything changed).
        #expect(try CallRecordDecoder.decodePatchBody(Array(#"{"agent_id":"b"}"#.utf8), current: current).updatedTimestamp == 77)
    }

    @Test func everyReturnedCallCarriesTheStampAfterTheDuration() {
        let json = String(decoding: CallJSON.bytes(TestSupport.call("c-1", transcript: "t", updated: 123), includeTranscript: true), as: UTF8.self)
        #expect(json.contains(#""call_duration":60000,"updated_timestamp":123,"transcript":"t""#))
    }

    // MARK: - Journal and snapshots

    @Test func journalRecordsKeepTheStampAndOlderOnesGetTheLegacyOne() throws {
        let call = TestSupport.call("c-1", transcript: "t", updated: 1_234)
        let record = MutationRecord.encode([.upsert(call), .delete(organizationID: "org-1", callID: "c-2")])
        #expect(try MutationRecord.decode(record, legacyUpdatedTimestamp: 9) == [.upsert(call), .delete(organizationID: "org-1", callID: "c-2")])
        // A record as the release before the field wrote it: the call as an import line without the stamp.
        let older = "U" + #"{"id":"\#(call.id)","call_id":"c-1","agent_id":"agent-1","organization_id":"org-1","call_status":"ENDED","call_type":"PHONE_CALL","direction":"INBOUND","from_number":"+15550000001","to_number":"+15550000002","start_timestamp":1000,"end_timestamp":61000,"call_duration":60000,"transcript":"t"}"#
        let decoded = try MutationRecord.decode(Array(older.utf8), legacyUpdatedTimestamp: 9)
        var expected = call
        expected.updatedTimestamp = 9
        #expect(decoded == [.upsert(expected)])
    }

    @Test func callPayloadsOfVersionOneGetTheLegacyStamp() throws {
        let call = TestSupport.call("c-1", transcript: "words", metadata: ["k": "v"], updated: 1_234)
        let current = CallBinaryCodec.encode([call])
        let roundTrip = try current.withUnsafeBytes { raw in
            Result { () throws(CallBinaryCodec.Corrupt) in try CallBinaryCodec.decode(raw, legacyUpdatedTimestamp: 9) }
        }.get()
        #expect(roundTrip == [call])
        let older = try Self.versionOnePayload(call).withUnsafeBytes { raw in
            Result { () throws(CallBinaryCodec.Corrupt) in try CallBinaryCodec.decode(raw, legacyUpdatedTimestamp: 9) }
        }.get()
        var expected = call
        expected.updatedTimestamp = 9
        #expect(older == [expected])
    }

    /// `calls` (one block) as version 1 of the payload laid them out: no `updated_timestamp`.
    private static func versionOnePayload(_ call: Call) -> [UInt8] {
        func u32(_ value: Int, _ out: inout [UInt8]) { withUnsafeBytes(of: UInt32(value).littleEndian) { out += $0 } }
        func i64(_ value: Int64, _ out: inout [UInt8]) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        func string(_ text: String, _ out: inout [UInt8]) {
            u32(text.utf8.count, &out)
            out += Array(text.utf8)
        }
        var block: [UInt8] = []
        for text in [call.id, call.callID, call.agentID, call.organizationID] { string(text, &block) }
        block += [
            UInt8(CallStatus.allCases.firstIndex(of: call.status) ?? 0), UInt8(CallType.allCases.firstIndex(of: call.type) ?? 0),
            UInt8(CallDirection.allCases.firstIndex(of: call.direction) ?? 0),
            (call.fromNumber == nil ? 0 : 1) | (call.toNumber == nil ? 0 : 2) | (call.endTimestamp == nil ? 0 : 4),
        ]
        if let from = call.fromNumber { string(from, &block) }
        if let to = call.toNumber { string(to, &block) }
        i64(call.startTimestamp, &block)
        if let end = call.endTimestamp { i64(end, &block) }
        string(call.transcript, &block)
        block += withUnsafeBytes(of: UInt16(call.metadata.entries.count).littleEndian) { Array($0) }
        for entry in call.metadata.entries {
            string(entry.key, &block)
            string(entry.value, &block)
        }
        var payload = Array("CBIN".utf8)
        u32(1, &payload)
        u32(1, &payload)
        u32(1, &payload)
        withUnsafeBytes(of: UInt64(block.count).littleEndian) { payload += $0 }
        return payload + block
    }

    // MARK: - Order and filter

    @Test func theIndexOrdersAndFiltersByTheStampAcrossBaseAndHeldWrites() throws {
        // Few distinct stamps, so ties broken by id are common; writes stay in the delta, and rewritten calls move.
        let options = IndexedCallStore.Options(minimumDelta: 10_000, rebuildInBackground: false)
        var g = Generator(seed: 4242)
        var ids = 0
        let calls = RandomCalls.randomStore(&g, size: 600, ids: &ids)
        var indexed = try IndexedCallStore(calls: calls, options: options)
        var reference = try InMemoryCallStore(calls: calls)
        var failures = 0
        for round in 0..<8 {
            let batch = RandomCalls.randomBatch(&g, existing: reference.allCalls, ids: &ids)
            indexed = indexed.applying(batch)
            reference = reference.applying(batch)
            for _ in 0..<60 {
                var query = RandomCalls.randomQuery(&g)
                query.sortBy = .updatedTimestamp
                if Bool.random(using: &g) { query.filter.updatedTimestamp = RandomCalls.randomRange(&g, scale: 1_000, span: 0...30) }
                for organization in RandomCalls.organizations
                where indexed.list(query, organizationID: organization) != reference.list(query, organizationID: organization) {
                    failures += 1
                    if failures <= 3 { Issue.record("round \(round), \(organization): \(query)") }
                }
            }
        }
        #expect(failures == 0)
    }

    @Test func aRewrittenCallMovesToItsNewStamp() throws {
        let options = IndexedCallStore.Options(minimumDelta: 10_000, rebuildInBackground: false)
        let calls = (0..<5).map { TestSupport.call("c-\($0)", updated: Int64(100 + $0)) }
        var store = try IndexedCallStore(calls: calls, options: options)
        var rewritten = calls[1]
        rewritten.updatedTimestamp = 500
        store = store.applying([.upsert(rewritten)])
        let newestFirst = ListQuery(sortBy: .updatedTimestamp, sortOrder: .descending)
        #expect(store.list(newestFirst, organizationID: "org-1").calls.map(\.callID) == ["c-1", "c-4", "c-3", "c-2", "c-0"])
        let since = ListQuery(filter: CallFilter(updatedTimestamp: ThresholdRange(lower: 103)))
        #expect(store.list(since, organizationID: "org-1").calls.map(\.callID).sorted() == ["c-1", "c-3", "c-4"])
        let before = ListQuery(filter: CallFilter(updatedTimestamp: ThresholdRange(upper: 102)))
        #expect(store.list(before, organizationID: "org-1").totalCount == 2)
    }
}
