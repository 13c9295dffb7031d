/// The duplicate rules of a store load: an `id` twice anywhere, or a `call_id` twice within an organization.
enum StoreValidation {
    /// The error the reference engine raises for `calls`, or nil when there is no duplicate. A fast 64-bit hash
    /// of each key is checked first; only a repeated hash (a duplicate, or a rare collision) pays for the exact,
    /// reference-identical scan.
    static func firstDuplicate(_ calls: [Call]) -> APIError? {
        var ids = HashSet64(expected: calls.count)
        var callIDs = HashSet64(expected: calls.count)
        let repeated = calls.withUnsafeBufferPointer { calls in
            // Fields are read in place: copying each record would cost a dozen reference-count updates.
            for index in calls.indices {
                let organization = hash(calls[index].organizationID)
                let callID = (organization &* 0x9E37_79B9_7F4A_7C15) ^ hash(calls[index].callID)
                if !ids.insert(hash(calls[index].id)) || !callIDs.insert(callID) { return true }
            }
            return false
        }
        return repeated ? exactScan(calls) : nil
    }

    private static func hash(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { ByteInterner.hash($0) }
    }

    /// The reference engine's check, in its order: per call, the id first, then the call_id.
    private static func exactScan(_ calls: [Call]) -> APIError? {
        var ids = Set<String>()
        var callIDs: [String: Set<String>] = [:]
        for call in calls {
            guard ids.insert(call.id).inserted else {
                return APIError.invalidRequest("id \(call.id) occurs more than once.")
            }
            guard callIDs[call.organizationID, default: []].insert(call.callID).inserted else {
                return APIError.invalidRequest("call_id \(call.callID) occurs more than once in organization \(call.organizationID).")
            }
        }
        return nil
    }
}

extension StoreValidation {
    /// A set of 64-bit hashes (open addressing, fixed size), for duplicate detection over a million keys.
    fileprivate struct HashSet64 {
        private var slots: [UInt64]
        private var hasZero = false
        private let mask: Int

        init(expected: Int) {
            var capacity = 16
            while capacity < expected * 2 { capacity <<= 1 }
            slots = [UInt64](repeating: 0, count: capacity)
            mask = capacity - 1
        }

        /// Adds `value`; false when it was already there.
        mutating func insert(_ value: UInt64) -> Bool {
            // 0 marks an empty slot, so the value 0 is tracked on the side.
            if value == 0 {
                defer { hasZero = true }
                return !hasZero
            }
            let mask = mask
            return slots.withUnsafeMutableBufferPointer { slots in
                var slot = Int(truncatingIfNeeded: value >> 17) & mask
                while true {
                    let stored = slots[slot]
                    if stored == value { return false }
                    if stored == 0 {
                        slots[slot] = value
                        return true
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }
}
