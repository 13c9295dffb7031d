import CallCore
import Testing

/// SipHash-2-4-128 against the reference implementation's `vectors_sip128` (key 00…0f, message 00…len-1).
@Suite struct SipHash128Tests {
    private let key = SipHash128.Key(Array(0..<16))

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    @Test(arguments: [
        (0, "a3817f04ba25a8e66df67214c7550293"),
        (1, "da87c1d86b99af44347659119b22fc45"),
        (7, "a1f1ebbed8dbc153c0b84aa61ff08239"),
        (8, "3b62a9ba6258f5610f83e264f31497b4"),
        (9, "264499060ad9baabc47f8b02bb6d71ed"),
        (15, "5493e99933b0a8117e08ec0f97cfc3d9"),
        (16, "6ee2a4ca67b054bbfd3315bf85230577"),
        (63, "5150d1772f50834a503e069a973fbd7c"),
    ])
    func matchesTheReferenceVectors(length: Int, expected: String) {
        #expect(hex(SipHash128.tag((0..<length).map { UInt8($0) }, key: key)) == expected)
    }

    @Test func appendingInPiecesEqualsAppendingAtOnce() {
        let message = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var pieces = SipHash128(key: key)
        pieces.append(message[..<3])
        pieces.append(message[3..<100])
        pieces.append(message[100...])
        #expect(pieces.finalize() == SipHash128.tag(message, key: key))
    }

    @Test func aBigEndianWordIsItsFourBytes() {
        var word = SipHash128(key: key)
        word.appendBigEndian(0x0102_0304)
        #expect(word.finalize() == SipHash128.tag([1, 2, 3, 4], key: key))
    }

    @Test func anotherKeyGivesAnotherTag() {
        #expect(SipHash128.tag([1, 2, 3], key: SipHash128.Key(Array(1...16))) != SipHash128.tag([1, 2, 3], key: key))
    }
}
