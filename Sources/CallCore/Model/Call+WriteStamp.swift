extension Call {
    /// Whether every stored field but `updated_timestamp` equals `other`'s: writing this call over `other` would
    /// change nothing.
    public func hasSameContent(as other: Call) -> Bool {
        if box === other.box { return true }
        var fields = box.fields
        fields.updatedTimestamp = other.box.fields.updatedTimestamp
        return fields == other.box.fields
    }

    /// This call as a write stores it over `previous` (the call stored under its `call_id`, if any) at `now`
    /// (milliseconds since the Unix epoch): stamped with max(now, previous's `updated_timestamp`), so the stamp never
    /// goes back even when the clock does; nil when the write would change no stored field, which keeps the stored
    /// call, its stamp and its `ETag` as they are.
    public func written(over previous: Call?, at now: Int64) -> Call? {
        guard let previous else {
            var call = self
            call.updatedTimestamp = now
            return call
        }
        if hasSameContent(as: previous) { return nil }
        var call = self
        call.updatedTimestamp = max(now, previous.updatedTimestamp)
        return call
    }
}
