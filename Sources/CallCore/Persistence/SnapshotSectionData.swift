/// A section's contents once read (call blocks are decoded into the store's call array instead).
enum SnapshotSectionData: Sendable {
    case bytes([UInt8])
    case words32([UInt32])
    case words64([UInt64])
    case pieces([[UInt64]])
    case calls
    /// A section that failed its checksum; only sections derived from the calls may be, and they are rebuilt.
    case damaged(StoreSnapshotError)
}
