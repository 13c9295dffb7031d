/// The fields of a call body, in API.md's table order (which is also the order problems are reported in).
enum CallBodyField: Int, CaseIterable {
    case id, callID, agentID, organizationID, status, type, direction, fromNumber, toNumber
    case startTimestamp, endTimestamp, duration, updatedTimestamp, transcript, metadata

    /// Maps a JSON key to its field. Compares lengths, then bytes, against static names (no allocation, no
    /// hashing, no reference counting): this runs for every member of every import line.
    init?(key: String) {
        var key = key
        let found = key.withUTF8 { bytes -> CallBodyField? in
            guard let first = bytes.first, let candidate = Self.candidate(length: bytes.count, first: first) else { return nil }
            return candidate.hasKey(bytes) ? candidate : nil
        }
        guard let found else { return nil }
        self = found
    }

    /// The only field a key of this length and first byte can be (each pair is unique among the keys).
    private static func candidate(length: Int, first: UInt8) -> CallBodyField? {
        switch (length, first) {
        case (2, UInt8(ascii: "i")): return .id
        case (7, UInt8(ascii: "c")): return .callID
        case (8, UInt8(ascii: "a")): return .agentID
        case (8, UInt8(ascii: "m")): return .metadata
        case (9, UInt8(ascii: "c")): return .type
        case (9, UInt8(ascii: "d")): return .direction
        case (9, UInt8(ascii: "t")): return .toNumber
        case (10, UInt8(ascii: "t")): return .transcript
        case (11, UInt8(ascii: "c")): return .status
        case (11, UInt8(ascii: "f")): return .fromNumber
        case (13, UInt8(ascii: "c")): return .duration
        case (13, UInt8(ascii: "e")): return .endTimestamp
        case (15, UInt8(ascii: "o")): return .organizationID
        case (15, UInt8(ascii: "s")): return .startTimestamp
        case (17, UInt8(ascii: "u")): return .updatedTimestamp
        default: return nil
        }
    }

    private func hasKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let name = keyName
        guard name.utf8CodeUnitCount == bytes.count else { return false }
        assert(name.hasPointerRepresentation, "the key is text, read through its pointer")
        let start = name.utf8Start
        for position in 0..<bytes.count where start[position] != bytes[position] {
            return false
        }
        return true
    }

    /// The JSON key.
    var key: String { keyName.description }

    /// The JSON key as a static string.
    private var keyName: StaticString {
        switch self {
        case .id: return "id"
        case .callID: return "call_id"
        case .agentID: return "agent_id"
        case .organizationID: return "organization_id"
        case .status: return "call_status"
        case .type: return "call_type"
        case .direction: return "direction"
        case .fromNumber: return "from_number"
        case .toNumber: return "to_number"
        case .startTimestamp: return "start_timestamp"
        case .endTimestamp: return "end_timestamp"
        case .duration: return "call_duration"
        case .updatedTimestamp: return "updated_timestamp"
        case .transcript: return "transcript"
        case .metadata: return "metadata"
        }
    }
}
