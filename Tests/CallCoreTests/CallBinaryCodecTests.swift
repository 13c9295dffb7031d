import CallCore
import Testing

@Suite struct CallBinaryCodecTests {
    private func sample(_ count: Int) -> [Call] {
        (0..<count).map(sampleCall)
    }

    private func sampleCall(_ index: Int) -> Call {
        let metadata: CallMetadata = index % 3 == 0 ? ["k": "v\(index)", "ключ": "значение"] : CallMetadata()
        let from: String? = index % 4 == 0 ? nil : "+1555000\(1000 + index % 9000)"
        let to: String? = index % 5 == 0 ? "+44123456789" : nil
        let end: Int64? = index % 2 == 0 ? 1_700_000_100_000 + Int64(index) : nil
        let transcript = index % 7 == 0 ? "" : "Café naïve \(index) 😀 \"quoted\"\nnext line"
        let id = "00000000-0000-4000-8000-" + String(100_000_000_000 + index)
        return Call(
            id: id, callID: "call-\(index)", agentID: "agent-é-\(index % 3)", organizationID: "org-\(index % 2)",
            status: CallStatus.allCases[index % 5], type: index % 2 == 0 ? .phoneCall : .webCall,
            direction: index % 3 == 0 ? .inbound : .outbound, fromNumber: from, toNumber: to,
            startTimestamp: 1_700_000_000_000 + Int64(index), endTimestamp: end,
            transcript: transcript, metadata: metadata)
    }

    @Test func roundTripsEveryFieldAcrossBlocks() throws {
        let calls = sample(40_000)
        let encoded = CallBinaryCodec.encode(calls)
        let decoded = try encoded.withUnsafeBytes { raw in
            Result { () throws(CallBinaryCodec.Corrupt) in try CallBinaryCodec.decode(raw, legacyUpdatedTimestamp: 0) }
        }.get()
        #expect(decoded == calls)
    }

    @Test func roundTripsAnEmptyStore() throws {
        let encoded = CallBinaryCodec.encode([])
        let decoded = try encoded.withUnsafeBytes { raw in
            Result { () throws(CallBinaryCodec.Corrupt) in try CallBinaryCodec.decode(raw, legacyUpdatedTimestamp: 0) }
        }.get()
        #expect(decoded.isEmpty)
    }

    @Test func rejectsEveryTruncation() {
        let encoded = CallBinaryCodec.encode(sample(3))
        for length in 0..<encoded.count {
            let result = Array(encoded[0..<length]).withUnsafeBytes { raw in
                Result { () throws(CallBinaryCodec.Corrupt) in try CallBinaryCodec.decode(raw, legacyUpdatedTimestamp: 0) }
            }
            if case .success = result { Issue.record("truncation at \(length) decoded") }
        }
    }
}
