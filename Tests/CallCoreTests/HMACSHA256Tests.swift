import CallCore
import Testing

/// RFC 4231's HMAC-SHA256 test cases (case 5, a truncated output, aside).
@Suite struct HMACSHA256Tests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    private func code(_ message: String, key: [UInt8]) -> String {
        hex(HMACSHA256.code(Array(message.utf8), key: key))
    }

    @Test func matchesRFC4231Case1() {
        #expect(code("Hi There", key: [UInt8](repeating: 0x0b, count: 20))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func matchesRFC4231Case2KeyShorterThanTheOutput() {
        #expect(code("what do ya want for nothing?", key: Array("Jefe".utf8))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func matchesRFC4231Case3() {
        #expect(hex(HMACSHA256.code([UInt8](repeating: 0xdd, count: 50), key: [UInt8](repeating: 0xaa, count: 20)))
            == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    @Test func matchesRFC4231Case4() {
        #expect(hex(HMACSHA256.code([UInt8](repeating: 0xcd, count: 50), key: Array(1...25)))
            == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    @Test func matchesRFC4231Case6KeyLongerThanABlock() {
        #expect(code("Test Using Larger Than Block-Size Key - Hash Key First", key: [UInt8](repeating: 0xaa, count: 131))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func matchesRFC4231Case7KeyAndDataLongerThanABlock() {
        let message = "This is a test using a larger than block-size key and a larger than block-size data."
            + " The key needs to be hashed before being used by the HMAC algorithm."
        #expect(code(message, key: [UInt8](repeating: 0xaa, count: 131))
            == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }
}
