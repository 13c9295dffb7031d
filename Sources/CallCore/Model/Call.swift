/// One call record, as stored and as returned by the API.
public struct Call: Sendable, Equatable {
    /// Server-assigned lower-case UUID; never changes.
    public var id: String
    /// The platform's id, unique within an organization.
    public var callID: String
    /// The agent who handled the call.
    public var agentID: String
    /// The owning organization (from the caller's key, never from a body).
    public var organizationID: String
    /// Lifecycle state.
    public var status: CallStatus
    /// Phone or web.
    public var type: CallType
    /// Inbound or outbound.
    public var direction: CallDirection
    /// Caller's number in E.164, if known.
    public var fromNumber: String?
    /// Callee's number in E.164, if known.
    public var toNumber: String?
    /// Start, in milliseconds since the Unix epoch.
    public var startTimestamp: Int64
    /// End, in milliseconds since the Unix epoch; present exactly when the status is ENDED or ERROR.
    public var endTimestamp: Int64?
    /// The transcript; empty when there is none.
    public var transcript: String
    /// Free-form metadata; empty when there is none.
    public var metadata: CallMetadata

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
        transcript: String = "",
        metadata: CallMetadata = CallMetadata()
    ) {
        self.id = id
        self.callID = callID
        self.agentID = agentID
        self.organizationID = organizationID
        self.status = status
        self.type = type
        self.direction = direction
        self.fromNumber = fromNumber
        self.toNumber = toNumber
        self.startTimestamp = startTimestamp
        self.endTimestamp = endTimestamp
        self.transcript = transcript
        self.metadata = metadata
    }

    /// `end_timestamp - start_timestamp` when the call has ended, else nil.
    /// Validated calls never overflow; an unvalidated one that would is treated as unknown rather than trapping.
    public var duration: Int64? {
        guard let endTimestamp else { return nil }
        let (difference, overflow) = endTimestamp.subtractingReportingOverflow(startTimestamp)
        return overflow ? nil : difference
    }
}
