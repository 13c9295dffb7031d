import CallCore
import Testing

@Suite struct CRC32CTests {
    // RFC 3720 appendix B.4 test vectors.
    @Test func matchesRFC3720VectorForZeros() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    }

    @Test func matchesRFC3720VectorForOnes() {
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    }

    @Test func matchesRFC3720VectorForAscendingBytes() {
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    }

    @Test func matchesRFC3720VectorForDescendingBytes() {
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    @Test func matchesCheckValueFor123456789() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func emptyInputChecksumsToZero() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    /// The slicing-by-8 path must agree with the one-bit-at-a-time definition for every length and alignment.
    @Test func agreesWithBitwiseDefinitionAtEveryLengthAndOffset() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in 0..<9 {
            for end in start...data.count where (end - start) % 7 == 0 || end - start < 20 {
                let slice = Array(data[start..<end])
                #expect(CRC32C.checksum(slice) == bitwise(slice), "bytes \(start)..<\(end)")
            }
        }
    }

    @Test func seedContinuesAnEarlierChecksum() {
        let message = Array("The quick brown fox jumps over the lazy dog, again and again.".utf8)
        for split in 0...message.count {
            let first = CRC32C.checksum(Array(message[..<split]))
            #expect(CRC32C.checksum(Array(message[split...]), seed: first) == CRC32C.checksum(message))
        }
    }

    @Test func rawBufferAndArrayFormsAgree() {
        let message = Array("123456789".utf8)
        #expect(message.withUnsafeBytes { CRC32C.checksum($0) } == CRC32C.checksum(message))
    }

    private func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }
}
