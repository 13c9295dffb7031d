/// A store snapshot that cannot be loaded (damaged, truncated, or not one this build writes); the message says
/// which file and where.
public struct StoreSnapshotError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
