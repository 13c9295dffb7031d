/// The calls of one `POST /api/calls/import` body and the write that stores them, all or none.
///
/// The body is decoded a line at a time straight into calls (each line's JSON tree lives only while its line is
/// decoded), so the body can be let go of before the write encodes its journal record.
public struct CallImport: Sendable {
    /// What an import answers once durable.
    public struct Counts: Sendable, Equatable {
        /// Lines of the body, blank ones included.
        public var lines: Int
        /// Calls in the body.
        public var imported: Int
        /// Calls that did not exist.
        public var created: Int
        /// Calls that existed (whether or not the line changed them).
        public var replaced: Int
    }

    /// Lines of the body, blank ones included.
    public let lines: Int
    /// The decoded calls in line order, each with a fresh id that the stored call's replaces when there is one.
    let calls: [Call]

    /// Decodes every non-blank line of `body` for `organizationID`; the first bad line (1-based) or repeated
    /// `call_id` is a 400 naming it.
    public static func decode(_ body: UnsafeRawBufferPointer, organizationID: String) throws(APIError) -> CallImport {
        var calls: [Call] = []
        var seen = Set<String>()
        let lines = try NDJSONLines.forEach(in: body) { (number, line) throws(APIError) in
            let call: Call
            do throws(APIError) {
                call = try CallRecordDecoder.decodeImportRouteLine(line, organizationID: organizationID)
            } catch {
                throw APIError.invalidRequest("line \(number): \(error.message)")
            }
            guard seen.insert(call.callID).inserted else {
                throw APIError.invalidRequest("line \(number): call_id \(call.callID) appears earlier in this import.")
            }
            calls.append(call)
        }
        return CallImport(lines: lines, calls: calls)
    }

    /// Decodes every non-blank line of `body` (see `decode(_:organizationID:)`).
    public static func decode(_ body: [UInt8], organizationID: String) throws(APIError) -> CallImport {
        try body.withUnsafeBytes { raw in
            Result { () throws(APIError) in try decode(raw, organizationID: organizationID) }
        }.get()
    }

    /// One upsert for each call the import changes, decided against the latest state at the write's time
    /// (milliseconds): an existing call keeps its id, and a line that changes nothing leaves its call (and its stamp)
    /// as stored.
    public func decide(latest: (String, String) -> Call?, now: Int64) -> CallRepository.Decision<Counts> {
        var counts = Counts(lines: lines, imported: calls.count, created: 0, replaced: 0)
        var mutations: [CallMutation] = []
        mutations.reserveCapacity(calls.count)
        for var call in calls {
            let existing = latest(call.organizationID, call.callID)
            if let existing {
                call.id = existing.id
                counts.replaced += 1
            } else {
                counts.created += 1
            }
            if let stored = call.written(over: existing, at: now) { mutations.append(.upsert(stored)) }
        }
        return .init(mutations: mutations, outcome: counts)
    }
}
