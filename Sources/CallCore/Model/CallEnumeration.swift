/// An enumeration of the call record whose raw value is its upper-case wire name and whose input is case-insensitive.
public protocol CallEnumeration: RawRepresentable<String>, CaseIterable, Sendable, Hashable {}

extension CallEnumeration {
    /// Parses a wire name in any ASCII case (`ended`, `Ended`, `ENDED`); anything else is nil.
    /// Only ASCII letters fold, so look-alikes such as the dotless `ı` are not accepted as `I`.
    public init?(caseInsensitive text: String) {
        guard let value = text.withContiguousUTF8({ Self(caseInsensitiveBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = value
    }

    /// The same from a wire name's UTF-8 bytes: upper-cased (wire names are upper case) and looked up exactly,
    /// so no case is compared one by one and nothing but ASCII letters changes.
    init?(caseInsensitiveBytes bytes: UnsafeRawBufferPointer) {
        let upper = String(unsafeUninitializedCapacity: bytes.count) { buffer in
            assert(buffer.count >= bytes.count, "room for every byte")
            for (offset, byte) in bytes.enumerated() {
                buffer[offset] = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
            }
            return bytes.count
        }
        self.init(rawValue: upper)
    }

    /// The upper-case names joined for error messages ("SCHEDULED, REGISTERED, …").
    public static var namesForMessages: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}
