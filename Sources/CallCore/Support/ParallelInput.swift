/// Read-only bytes shared with `Parallel.map` workers: `map` returns only when every worker is done, so the
/// caller's buffer outlives every use of the pointer.
public struct ParallelInput: @unchecked Sendable {
    /// The shared bytes.
    public let raw: UnsafeRawBufferPointer

    /// Wraps `raw` for the workers of one `Parallel.map` call.
    public init(_ raw: UnsafeRawBufferPointer) {
        self.raw = raw
    }
}
