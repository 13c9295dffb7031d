/// Per-loop services a connection uses while processing: clock, date cache, ids, log buffer.
struct LoopContext {
    let core: ServerCore
    let mailbox: LoopMailbox
    /// The loop's own counters; nil when the server counts nothing.
    let metrics: LoopMetrics?
    var now: UInt64 = monotonicNanoseconds()
    var dateCache = HTTPDateCache()
    var requestIDs = RequestIDGenerator()
    var logLines: [UInt8] = []
}
