import CallCore
import Glibc

/// Helpers shared by the CallCore tests.
enum TestSupport {
    /// Whether the tests run under ThreadSanitizer (its runtime is linked in): every thread is then several times
    /// slower, so threads interleave differently.
    static let underThreadSanitizer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil

    /// The error a throwing closure raised, or nil when it did not throw.
    static func apiError<T>(_ body: () throws(APIError) -> T) -> APIError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    /// The parse error for `text`, or nil when it parsed.
    static func parseError(_ bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONReader.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// The parse error for `text`, or nil when it parsed.
    static func parseError(_ text: String) -> JSONParseError? {
        parseError(Array(text.utf8))
    }

    /// The deterministic generator random tests use, so every failure reproduces.
    typealias SeededGenerator = SplitMix64

    /// A random string mixing ASCII, control characters, quotes, backslashes, accents, CJK, emoji and other non-BMP scalars.
    static func randomString(length: Int, using generator: inout SeededGenerator) -> String {
        let pools: [ClosedRange<UInt32>] = [
            0x00...0x1F, 0x20...0x7E, 0x22...0x22, 0x5C...0x5C, 0x7F...0xA0, 0xC0...0x24F,
            0x300...0x36F, 0x4E00...0x4E80, 0x2028...0x2029, 0xFFF0...0xFFFD, 0x1F600...0x1F64F, 0x10000...0x10FFF,
            0x10FFF0...0x10FFFF,
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            let pool = pools[Int.random(in: 0..<pools.count, using: &generator)]
            if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &generator)) {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// A valid call with overridable fields, for store and writer tests.
    static func call(
        _ callID: String,
        id: String? = nil,
        organization: String = "org-1",
        agent: String = "agent-1",
        status: CallStatus = .ended,
        type: CallType = .phoneCall,
        direction: CallDirection = .inbound,
        from: String? = "+15550000001",
        to: String? = "+15550000002",
        start: Int64 = 1_000,
        end: Int64? = nil,
        transcript: String = "",
        metadata: CallMetadata = CallMetadata(),
        updated: Int64 = 0
    ) -> Call {
        let ended = status.hasEnded ? (end ?? start + 60_000) : end
        return Call(
            id: id ?? uuid(for: organization + "/" + callID),
            callID: callID,
            agentID: agent,
            organizationID: organization,
            status: status,
            type: type,
            direction: direction,
            fromNumber: from,
            toNumber: to,
            startTimestamp: start,
            endTimestamp: ended,
            updatedTimestamp: updated,
            transcript: transcript,
            metadata: metadata
        )
    }

    /// A stable lower-case UUID derived from a string, so ids are predictable in tests.
    static func uuid(for text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        let digits = String(repeating: "0", count: 16 - hex.count) + hex
        let all = Array(digits + digits)
        return "\(String(all[0..<8]))-\(String(all[8..<12]))-\(String(all[12..<16]))-\(String(all[16..<20]))-\(String(all[20..<32]))"
    }
}
