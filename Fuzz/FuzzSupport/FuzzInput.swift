/// Splits a fuzz input into control bytes, taken from its front, and the payload that follows, so the fuzzer
/// chooses both how a target runs (read sizes, limits) and what it reads.
public struct FuzzInput {
    /// Bytes not taken yet.
    public private(set) var rest: UnsafeRawBufferPointer

    /// Wraps the whole input.
    public init(_ bytes: UnsafeRawBufferPointer) {
        rest = bytes
    }

    /// The next byte, or 0 once the input is used up (a short input runs with default choices).
    public mutating func byte() -> UInt8 {
        guard let first = rest.first else { return 0 }
        rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst())
        return first
    }

    /// The next `count` bytes, or fewer when the input ends first.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        let taken = Array(rest.prefix(count))
        rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(taken.count))
        return taken
    }

    /// The read sizes a split feed uses: one control byte says how many size bytes follow (0 to 7), each size
    /// byte `b` means a read of `b + 1` bytes, and the sizes repeat until the payload is used up; no size bytes
    /// means one byte per read.
    public mutating func readSizes() -> [Int] {
        let count = Int(byte() & 7)
        let sizes = bytes(count).map { Int($0) + 1 }
        return sizes.isEmpty ? [1] : sizes
    }

    /// `bytes` cut into consecutive pieces of the given sizes, repeated in turn.
    public static func pieces(of bytes: [UInt8], sizes: [Int]) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        var turn = 0
        while start < bytes.count {
            let end = min(bytes.count, start + sizes[turn % sizes.count])
            pieces.append(bytes[start..<end])
            start = end
            turn += 1
        }
        return pieces
    }
}
