/// A compact binary form of calls for snapshots: no JSON parsing or re-validation on restart, and
/// blocks that decode in parallel. The snapshot file around it carries checksums, so a damaged
/// payload never reaches this decoder unnoticed; the decoder still checks every length.
///
/// Layout (little-endian): magic `CBIN`, version u32, block count u32; each block: call count u32,
/// byte length u64, then its calls. A call: strings id, call_id, agent_id, organization_id (u32
/// length + UTF-8), status/type/direction codes (u8 each), presence flags (u8: from, to, end),
/// from/to strings if present, start i64, end i64 if present, updated i64 (from version 2 on), transcript string,
/// metadata count u16 and that many key/value strings.
public enum CallBinaryCodec {
    private static let magic: [UInt8] = Array("CBIN".utf8)
    private static let version: UInt32 = 2

    /// How a call's bytes are laid out.
    public enum Layout: Sendable {
        /// As this release writes them.
        case current
        /// As version 1 wrote them, without `updated_timestamp`: each call gets the given value.
        case withoutUpdated(Int64)
    }
    /// Calls per block: blocks decode in parallel.
    static let callsPerBlock = 16_384
    /// The fewest bytes an encoded call takes (four empty strings, the codes and flags, a start, an empty
    /// transcript, no metadata), so a call count read from a file cannot ask for more memory than its bytes justify.
    static let minimumCallBytes = 34

    /// A payload that does not decode; the message says where.
    public struct Corrupt: Error, CustomStringConvertible {
        /// What was wrong.
        public var description: String
    }

    /// Encodes `calls` in blocks.
    public static func encode(_ calls: [Call]) -> [UInt8] {
        var out: [UInt8] = magic
        SnapshotBytes.put(&out, version)
        let blocks = (calls.count + callsPerBlock - 1) / callsPerBlock
        SnapshotBytes.put(&out, UInt32(blocks))
        forEachBlock(count: calls.count, call: { calls[$0] }) { block, callCount in
            SnapshotBytes.put(&out, UInt32(callCount))
            SnapshotBytes.put(&out, UInt64(block.count))
            out.append(contentsOf: block)
        }
        return out
    }

    /// Encodes calls `0..<count` (`call` gives each) in blocks of `callsPerBlock`, handing each block and its
    /// number of calls to `body` in order.
    static func forEachBlock<Failure: Error>(
        count: Int, call: (Int) -> Call, _ body: ([UInt8], Int) throws(Failure) -> Void
    ) throws(Failure) {
        var start = 0
        while start < count {
            let end = min(count, start + callsPerBlock)
            var block: [UInt8] = []
            block.reserveCapacity((end - start) * 600)
            for index in start..<end { encode(call(index), into: &block) }
            try body(block, end - start)
            start = end
        }
    }

    /// Decodes a payload written by `encode` (or by version 1, whose calls get `legacyUpdatedTimestamp`), blocks in
    /// parallel.
    public static func decode(_ bytes: UnsafeRawBufferPointer, legacyUpdatedTimestamp: Int64) throws(Corrupt) -> [Call] {
        var reader = Reader(bytes: bytes, offset: 0)
        guard bytes.count >= 12, Array(bytes[0..<4]) == magic else { throw Corrupt(description: "not a binary call payload") }
        reader.offset = 4
        let layout: Layout
        switch try reader.u32() {
        case 1: layout = .withoutUpdated(legacyUpdatedTimestamp)
        case version: layout = .current
        default: throw Corrupt(description: "unknown binary call payload version")
        }
        let blockCount = Int(try reader.u32())
        var blocks: [(count: Int, range: Range<Int>)] = []
        for _ in 0..<blockCount {
            let count = Int(try reader.u32())
            let length = try reader.u64()
            guard length <= UInt64(bytes.count - reader.offset) else { throw Corrupt(description: "block runs past the end") }
            guard count <= Int(length) / minimumCallBytes else { throw Corrupt(description: "block holds too few bytes for \(count) calls") }
            blocks.append((count, reader.offset..<(reader.offset + Int(length))))
            reader.offset += Int(length)
        }
        guard reader.offset == bytes.count else { throw Corrupt(description: "trailing bytes after the last block") }

        let shared = ParallelInput(bytes)
        let plan = blocks
        let results = Parallel.map(plan.count) { index -> Result<[Call], Corrupt> in
            let block = plan[index]
            let bytes = UnsafeRawBufferPointer(rebasing: shared.raw[block.range])
            return Result { () throws(Corrupt) in
                var failure: Corrupt?
                let calls = [Call](unsafeUninitializedCapacity: block.count) { buffer, initialized in
                    guard let base = buffer.baseAddress else { return }
                    assert(buffer.count == block.count, "room for exactly the block's calls")
                    do throws(Corrupt) {
                        try decodeBlock(bytes, count: block.count, layout: layout, into: base)
                        initialized = block.count
                    } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
                return calls
            }
        }
        var calls: [Call] = []
        for result in results { calls += try result.get() }
        return calls
    }

    /// Appends one call's encoding.
    static func encode(_ call: Call, into out: inout [UInt8]) {
        putString(&out, call.id)
        putString(&out, call.callID)
        putString(&out, call.agentID)
        putString(&out, call.organizationID)
        out.append(UInt8(CallStatus.allCases.firstIndex(of: call.status) ?? 0))
        out.append(UInt8(CallType.allCases.firstIndex(of: call.type) ?? 0))
        out.append(UInt8(CallDirection.allCases.firstIndex(of: call.direction) ?? 0))
        var flags: UInt8 = 0
        if call.fromNumber != nil { flags |= 1 }
        if call.toNumber != nil { flags |= 2 }
        if call.endTimestamp != nil { flags |= 4 }
        out.append(flags)
        if let from = call.fromNumber { putString(&out, from) }
        if let to = call.toNumber { putString(&out, to) }
        SnapshotBytes.put(&out, UInt64(bitPattern: call.startTimestamp))
        if let end = call.endTimestamp { SnapshotBytes.put(&out, UInt64(bitPattern: end)) }
        SnapshotBytes.put(&out, UInt64(bitPattern: call.updatedTimestamp))
        putString(&out, call.transcript)
        let entries = call.metadata.entries
        SnapshotBytes.put(&out, UInt16(truncatingIfNeeded: entries.count))
        for entry in entries {
            putString(&out, entry.key)
            putString(&out, entry.value)
        }
    }

    /// Decodes exactly `count` calls in `layout` filling `bytes` into the uninitialized memory at `destination`; on
    /// failure nothing is left initialized there.
    static func decodeBlock(
        _ bytes: UnsafeRawBufferPointer, count: Int, layout: Layout, into destination: UnsafeMutablePointer<Call>
    ) throws(Corrupt) {
        var reader = Reader(bytes: bytes, offset: 0)
        var decoded = 0
        do throws(Corrupt) {
            while decoded < count {
                (destination + decoded).initialize(to: try decodeCall(&reader, layout: layout))
                decoded += 1
            }
            guard reader.offset == bytes.count else { throw Corrupt(description: "call block has trailing bytes") }
        } catch {
            destination.deinitialize(count: decoded)
            throw error
        }
    }

    private static func decodeCall(_ reader: inout Reader, layout: Layout) throws(Corrupt) -> Call {
        let id = try reader.string()
        let callID = try reader.string()
        let agentID = try reader.string()
        let organizationID = try reader.string()
        let statusCode = Int(try reader.u8())
        let typeCode = Int(try reader.u8())
        let directionCode = Int(try reader.u8())
        let flags = try reader.u8()
        guard statusCode < CallStatus.allCases.count, typeCode < CallType.allCases.count,
              directionCode < CallDirection.allCases.count else {
            throw Corrupt(description: "unknown enumeration code in call \(callID)")
        }
        let status = CallStatus.allCases[CallStatus.allCases.index(CallStatus.allCases.startIndex, offsetBy: statusCode)]
        let type = CallType.allCases[CallType.allCases.index(CallType.allCases.startIndex, offsetBy: typeCode)]
        let direction = CallDirection.allCases[CallDirection.allCases.index(CallDirection.allCases.startIndex, offsetBy: directionCode)]
        let from = flags & 1 != 0 ? try reader.string() : nil
        let to = flags & 2 != 0 ? try reader.string() : nil
        let start = Int64(bitPattern: try reader.u64())
        let end = flags & 4 != 0 ? Int64(bitPattern: try reader.u64()) : nil
        let updated: Int64
        switch layout {
        case .current: updated = Int64(bitPattern: try reader.u64())
        case .withoutUpdated(let value): updated = value
        }
        let transcript = try reader.string()
        let metadataCount = Int(try reader.u16())
        var entries: [(key: String, value: String)] = []
        entries.reserveCapacity(metadataCount)
        for _ in 0..<metadataCount {
            let key = try reader.string()
            entries.append((key, try reader.string()))
        }
        return Call(
            id: id, callID: callID, agentID: agentID, organizationID: organizationID, status: status, type: type,
            direction: direction, fromNumber: from, toNumber: to, startTimestamp: start, endTimestamp: end,
            updatedTimestamp: updated, transcript: transcript, metadata: CallMetadata(entries))
    }

    private static func putString(_ out: inout [UInt8], _ text: String) {
        let utf8 = text.utf8
        SnapshotBytes.put(&out, UInt32(utf8.count))
        out.append(contentsOf: utf8)
    }

    /// Bounds-checked little-endian reads.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset: Int

        mutating func take(_ n: Int) throws(Corrupt) -> UnsafeRawBufferPointer {
            assert(offset >= 0 && offset <= bytes.count, "the reader never passes the end of its bytes")
            guard n >= 0, n <= bytes.count - offset else { throw Corrupt(description: "truncated at byte \(offset)") }
            defer { offset += n }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
        }

        mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(Corrupt) -> T {
            SnapshotBytes.load(try take(MemoryLayout<T>.size), 0, T.self)
        }

        mutating func u8() throws(Corrupt) -> UInt8 { try integer(UInt8.self) }
        mutating func u16() throws(Corrupt) -> UInt16 { try integer(UInt16.self) }
        mutating func u32() throws(Corrupt) -> UInt32 { try integer(UInt32.self) }
        mutating func u64() throws(Corrupt) -> UInt64 { try integer(UInt64.self) }

        /// The payload's checksum was verified before decoding, so these are the bytes the writer took from a
        /// String: decoding them (which repairs rather than fails) skips a separate validation pass.
        mutating func string() throws(Corrupt) -> String {
            let length = Int(try u32())
            return String(decoding: try take(length).assumingMemoryBound(to: UInt8.self), as: UTF8.self)
        }
    }
}
