import Synchronization

/// An immutable box of call fields, shared by every copy of a call.
final class CallBox: Sendable {
    /// The sequence of the changes-feed entry that recorded this version of the call (0: none), so the entry can be
    /// marked superseded when the call is written again without looking it up. Set and read only by whoever records
    /// the feed (the journal's writer thread, or startup before it runs); atomic only so that is sound to share.
    /// Declared first, so it shares a cache line with the reference count that restoring the feed touches anyway.
    let changeSequence = Atomic<UInt64>(0)
    let fields: CallFields

    init(_ fields: CallFields) {
        self.fields = fields
    }
}
