/// One call record, as stored and as returned by the API.
///
/// The fields live in one immutable shared box: a page, a delta entry or a journal record copies a call with one
/// reference count rather than one per string, and changing a field gives this call a new box of its own.
public struct Call: Sendable, Equatable {
    /// The fields, shared between copies.
    private(set) var box: CallBox

    /// Server-assigned lower-case UUID; never changes.
    public var id: String {
        _read { yield box.fields.id }
        set { change { $0.id = newValue } }
    }

    /// The platform's id, unique within an organization.
    public var callID: String {
        _read { yield box.fields.callID }
        set { change { $0.callID = newValue } }
    }

    /// The agent who handled the call.
    public var agentID: String {
        _read { yield box.fields.agentID }
        set { change { $0.agentID = newValue } }
    }

    /// The owning organization (from the caller's key, never from a body).
    public var organizationID: String {
        _read { yield box.fields.organizationID }
        set { change { $0.organizationID = newValue } }
    }

    /// Lifecycle state.
    public var status: CallStatus {
        _read { yield box.fields.status }
        set { change { $0.status = newValue } }
    }

    /// Phone or web.
    public var type: CallType {
        _read { yield box.fields.type }
        set { change { $0.type = newValue } }
    }

    /// Inbound or outbound.
    public var direction: CallDirection {
        _read { yield box.fields.direction }
        set { change { $0.direction = newValue } }
    }

    /// Caller's number in E.164, if known.
    public var fromNumber: String? {
        _read { yield box.fields.fromNumber }
        set { change { $0.fromNumber = newValue } }
    }

    /// Callee's number in E.164, if known.
    public var toNumber: String? {
        _read { yield box.fields.toNumber }
        set { change { $0.toNumber = newValue } }
    }

    /// Start, in milliseconds since the Unix epoch.
    public var startTimestamp: Int64 {
        _read { yield box.fields.startTimestamp }
        set { change { $0.startTimestamp = newValue } }
    }

    /// End, in milliseconds since the Unix epoch; present exactly when the status is ENDED or ERROR.
    public var endTimestamp: Int64? {
        _read { yield box.fields.endTimestamp }
        set { change { $0.endTimestamp = newValue } }
    }

    /// When the server last changed the call, in milliseconds since the Unix epoch; set at every write that
    /// changes a stored field, never by a write body, and never decreasing for a call.
    public var updatedTimestamp: Int64 {
        _read { yield box.fields.updatedTimestamp }
        set { change { $0.updatedTimestamp = newValue } }
    }

    /// The transcript; empty when there is none.
    public var transcript: String {
        _read { yield box.fields.transcript }
        set { change { $0.transcript = newValue } }
    }

    /// Free-form metadata; empty when there is none.
    public var metadata: CallMetadata {
        _read { yield box.fields.metadata }
        set { change { $0.metadata = newValue } }
    }

    /// Creates a call; values are taken as given (validation belongs to `CallRecordDecoder`).
    public init(
        id: String,
        callID: String,
        agentID: String,
        organizationID: String,
        status: CallStatus,
        type: CallType,
        direction: CallDirection,
        fromNumber: String? = nil,
        toNumber: String? = nil,
        startTimestamp: Int64,
        endTimestamp: Int64? = nil,
        updatedTimestamp: Int64 = 0,
        transcript: String = "",
        metadata: CallMetadata = CallMetadata()
    ) {
        box = CallBox(CallFields(
            id: id, callID: callID, agentID: agentID, organizationID: organizationID, status: status, type: type,
            direction: direction, fromNumber: fromNumber, toNumber: toNumber, startTimestamp: startTimestamp,
            endTimestamp: endTimestamp, updatedTimestamp: updatedTimestamp, transcript: transcript, metadata: metadata))
    }

    /// `end_timestamp - start_timestamp` when the call has ended, else nil.
    /// Validated calls never overflow; an unvalidated one that would is treated as unknown rather than trapping.
    public var duration: Int64? { box.fields.duration }

    /// Calls `body` with the box of the call stored at `record`, without retaining it: for loops over a buffer of
    /// calls that stays alive and unchanged while they run (a page's encoder), where an atomic retain and release
    /// per call cost about as much as writing its numbers. Fields are read through the box in place (`box.fields.id`):
    /// passing `fields` on would copy all of them.
    static func withBox<R>(at record: UnsafePointer<Call>, _ body: (CallBox) -> R) -> R {
        Unmanaged.passUnretained(record.pointee.box)._withUnsafeGuaranteedRef(body)
    }

    /// Replaces the box with one whose fields are changed by `edit` (other copies keep the old box).
    private mutating func change(_ edit: (inout CallFields) -> Void) {
        var fields = box.fields
        edit(&fields)
        box = CallBox(fields)
    }

    /// Field-by-field equality (two copies of one call are equal at once).
    public static func == (lhs: Call, rhs: Call) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }
}
