import CallCore

/// Random calls, stores, queries and write batches for the engine tests: few distinct values, so ties, shared
/// words and repeated call_ids are common.
enum RandomCalls {
    typealias Generator = TestSupport.SeededGenerator

    static let words = [
        "help", "Help", "HELP", "helpful", "helping", "support", "refund", "Refunds", "refunded", "café", "Cafe", "CAFÉ",
        "naïve", "naive", "credit", "card", "Card", "order", "42", "4242", "Zürich", "zurich", "über", "straße",
        "ÉCOLE", "e\u{301}cole", "the", "a", "to", "you", "thank", "can", "I", "x", "ok",
    ]
    static let separators = [" ", " ", " ", ", ", ". ", "\n", "-", "! ", " \"", "…"]
    static let searches = [
        "help", "HELP", "cafe", "Café", "naive", "zurich", "ecole", "refund*", "Ref*", "he*", "c*", "x*", "42",
        "\"credit card\"", "\"thank you\"", "\"help* support\"", "\"the card\"", "\"can i help\"", "\"card credit",
        "help \"credit card\" refund*", "\"you can\" \"thank you\"", "zzz", "\"help zzz\"", "ok x", "über strasse",
        "\"to the\" a", "\"\"", "\"a a\"", "I", "straße", "4*", "\"refund* card\"", "card refund", "\"x ok\"",
        "\"thank you can\"", "\"help support refund\"", "\"a a a\"", "\"card credit card\"", "\"you thank you to\"",
        "\"help HELP help\"", "\"cafe naive zurich\"", "\"ok x ok x ok\"", "\"credit card\" \"the a to\"",
    ]

    static func randomTranscript(_ g: inout Generator) -> String {
        let count = Int.random(in: 0...24, using: &g)
        var text = ""
        for index in 0..<count {
            if index > 0 { text += Self.separators.randomElement(using: &g) ?? " " }
            text += Self.words.randomElement(using: &g) ?? "help"
        }
        return text
    }

    static func randomCall(_ g: inout Generator, organization: String, callID: String, id: String) -> Call {
        let status = CallStatus.allCases.randomElement(using: &g) ?? .ended
        // Few distinct timestamps and durations, so ties (broken by id) are common.
        let start = Int64.random(in: 0...40, using: &g) * 1_000
        let end: Int64? = status.hasEnded ? start + Int64.random(in: 0...6, using: &g) * 500 : nil
        return Call(
            id: id, callID: callID, agentID: "agent-\(Int.random(in: 1...4, using: &g))", organizationID: organization,
            status: status, type: CallType.allCases.randomElement(using: &g) ?? .phoneCall,
            direction: CallDirection.allCases.randomElement(using: &g) ?? .inbound,
            fromNumber: Bool.random(using: &g) ? "+1555000000\(Int.random(in: 0...3, using: &g))" : nil,
            toNumber: Int.random(in: 0...3, using: &g) == 0 ? nil : "+1666000000\(Int.random(in: 0...2, using: &g))",
            startTimestamp: start, endTimestamp: end, updatedTimestamp: Int64.random(in: 0...30, using: &g) * 1_000,
            transcript: randomTranscript(&g))
    }

    static let organizations = ["org-a", "org-b", "org-c"]

    static func randomCallID(_ g: inout Generator) -> String {
        // Mixed case and punctuation, compared byte-wise.
        let stems = ["call", "Call", "CALL", "c", "_x", "9", "10"]
        return "\(stems.randomElement(using: &g) ?? "c")-\(Int.random(in: 0...400, using: &g))"
    }

    static func randomStore(_ g: inout Generator, size: Int, ids: inout Int) -> [Call] {
        var calls: [Call] = []
        var taken = Set<String>()
        while calls.count < size {
            let organization = Self.organizations[Int.random(in: 0...9, using: &g) < 6 ? 0 : Int.random(in: 1...2, using: &g)]
            let callID = randomCallID(&g)
            guard taken.insert(organization + "/" + callID).inserted else { continue }
            ids += 1
            calls.append(randomCall(&g, organization: organization, callID: callID, id: TestSupport.uuid(for: "id-\(ids)")))
        }
        return calls
    }

    static func randomRange(_ g: inout Generator, scale: Int64, span: ClosedRange<Int64>) -> ThresholdRange? {
        switch Int.random(in: 0...5, using: &g) {
        case 0: return nil
        case 1: return ThresholdRange()
        case 2: return ThresholdRange(lower: Int64.random(in: span, using: &g) * scale)
        case 3: return ThresholdRange(upper: Int64.random(in: span, using: &g) * scale)
        default:
            let lower = Int64.random(in: span, using: &g) * scale
            return ThresholdRange(lower: lower, upper: lower + Int64.random(in: 0...span.upperBound, using: &g) * scale)
        }
    }

    static func randomQuery(_ g: inout Generator) -> ListQuery {
        var filter = CallFilter()
        func some<T>(_ values: [T], max: Int = 3) -> [T] {
            (0..<Int.random(in: 1...max, using: &g)).compactMap { _ in values.randomElement(using: &g) }
        }
        if Int.random(in: 0...3, using: &g) == 0 { filter.statuses = some(CallStatus.allCases) }
        if Int.random(in: 0...3, using: &g) == 0 { filter.agentIDs = some(["agent-1", "agent-2", "agent-3", "agent-4", "agent-9"]) }
        if Int.random(in: 0...4, using: &g) == 0 { filter.types = some(CallType.allCases, max: 2) }
        if Int.random(in: 0...4, using: &g) == 0 { filter.directions = some(CallDirection.allCases, max: 2) }
        if Int.random(in: 0...5, using: &g) == 0 { filter.fromNumbers = some(["+15550000000", "+15550000001", "+15550000003", "+19999"]) }
        if Int.random(in: 0...5, using: &g) == 0 { filter.toNumbers = some(["+16660000000", "+16660000002", "+1"]) }
        if Int.random(in: 0...2, using: &g) == 0 { filter.duration = randomRange(&g, scale: 500, span: 0...6) }
        if Int.random(in: 0...2, using: &g) == 0 { filter.startTimestamp = randomRange(&g, scale: 1_000, span: 0...40) }
        if Int.random(in: 0...1, using: &g) == 0 { filter.transcriptSearch = TranscriptQuery(Self.searches.randomElement(using: &g) ?? "help") }
        if Int.random(in: 0...2, using: &g) == 0 { filter.updatedTimestamp = randomRange(&g, scale: 1_000, span: 0...30) }
        let pages: [Int64] = [0, 0, 0, 1, 2, 3, 5, 11, 40, 1 << 40, Int64.max / 2, Int64.max]
        return ListQuery(
            page: pages.randomElement(using: &g) ?? 0,
            limit: Int.random(in: 0...3, using: &g) == 0 ? 100 : Int.random(in: 1...12, using: &g),
            sortBy: SortField.allCases.randomElement(using: &g) ?? .startTimestamp,
            sortOrder: Bool.random(using: &g) ? .ascending : .descending,
            filter: filter)
    }

    static func randomBatch(_ g: inout Generator, existing: [Call], ids: inout Int) -> [CallMutation] {
        (0..<Int.random(in: 1...12, using: &g)).map { _ -> CallMutation in
            let choice = Int.random(in: 0...9, using: &g)
            if choice < 4, let old = existing.randomElement(using: &g) {
                // Replace: same organization, call_id and id; everything else may change.
                return .upsert(randomCall(&g, organization: old.organizationID, callID: old.callID, id: old.id))
            }
            if choice < 7, let old = existing.randomElement(using: &g) {
                return .delete(organizationID: old.organizationID, callID: old.callID)
            }
            if choice == 7 {
                return .delete(organizationID: Self.organizations.randomElement(using: &g) ?? "org-a", callID: randomCallID(&g))
            }
            ids += 1
            let organization = Self.organizations.randomElement(using: &g) ?? "org-a"
            let callID = randomCallID(&g)
            // A call_id that exists keeps its id (the caller's contract); a new one gets a fresh id.
            let id = existing.first { $0.organizationID == organization && $0.callID == callID }?.id
                ?? TestSupport.uuid(for: "id-\(ids)")
            return .upsert(randomCall(&g, organization: organization, callID: callID, id: id))
        }
    }

    /// A random store of `size` calls, indexed with `options` and in the reference engine, both after the same
    /// `batches` random write batches.
    static func writtenStores(
        _ g: inout Generator, size: Int, batches: Int, ids: inout Int, options: IndexedCallStore.Options
    ) throws -> (indexed: IndexedCallStore, reference: InMemoryCallStore) {
        let calls = randomStore(&g, size: size, ids: &ids)
        var indexed = try IndexedCallStore(calls: calls, options: options)
        var reference = try InMemoryCallStore(calls: calls)
        for _ in 0..<batches {
            let batch = randomBatch(&g, existing: reference.allCalls, ids: &ids)
            indexed = indexed.applying(batch)
            reference = reference.applying(batch)
        }
        return (indexed, reference)
    }
}
