/// The fields of a call, held in a `CallBox`.
struct CallFields: Sendable, Equatable {
    var id: String
    var callID: String
    var agentID: String
    var organizationID: String
    var status: CallStatus
    var type: CallType
    var direction: CallDirection
    var fromNumber: String?
    var toNumber: String?
    var startTimestamp: Int64
    var endTimestamp: Int64?
    var updatedTimestamp: Int64
    var transcript: String
    var metadata: CallMetadata

    /// `end_timestamp - start_timestamp` when the call has ended, else nil.
    /// Validated calls never overflow; an unvalidated one that would is treated as unknown rather than trapping.
    var duration: Int64? {
        guard let endTimestamp else { return nil }
        let (difference, overflow) = endTimestamp.subtractingReportingOverflow(startTimestamp)
        return overflow ? nil : difference
    }
}
