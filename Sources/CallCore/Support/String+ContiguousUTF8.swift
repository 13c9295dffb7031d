extension String {
    /// Calls `body` with the string's UTF-8 bytes: in place for a native string, without copying the string
    /// (so no reference counting in the searches, sorts and encoders that call this), copied for any other kind.
    @inline(__always)
    func withContiguousUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}
