/// The `filter_criteria` of a list request, normalized: an empty list or a nil value means "not given"; given criteria all must hold.
public struct CallFilter: Sendable, Equatable {
    /// Accepted statuses (any of them), de-duplicated in first-seen order.
    public var statuses: [CallStatus]
    /// Accepted agent ids, exact, de-duplicated in first-seen order.
    public var agentIDs: [String]
    /// Accepted call types.
    public var types: [CallType]
    /// Accepted directions.
    public var directions: [CallDirection]
    /// Accepted `from_number` values, exact.
    public var fromNumbers: [String]
    /// Accepted `to_number` values, exact.
    public var toNumbers: [String]
    /// Bounds on `call_duration`; when given, calls without a known duration never match.
    public var duration: ThresholdRange?
    /// Bounds on `start_timestamp`.
    public var startTimestamp: ThresholdRange?
    /// Words that must occur in the transcript; nil when no search (including a query without words).
    public var transcriptSearch: TranscriptQuery?
    /// Bounds on `updated_timestamp`.
    public var updatedTimestamp: ThresholdRange?

    /// Creates a filter; every criterion defaults to "not given".
    public init(
        statuses: [CallStatus] = [],
        agentIDs: [String] = [],
        types: [CallType] = [],
        directions: [CallDirection] = [],
        fromNumbers: [String] = [],
        toNumbers: [String] = [],
        duration: ThresholdRange? = nil,
        startTimestamp: ThresholdRange? = nil,
        transcriptSearch: TranscriptQuery? = nil,
        updatedTimestamp: ThresholdRange? = nil
    ) {
        self.statuses = statuses
        self.agentIDs = agentIDs
        self.types = types
        self.directions = directions
        self.fromNumbers = fromNumbers
        self.toNumbers = toNumbers
        self.duration = duration
        self.startTimestamp = startTimestamp
        self.transcriptSearch = transcriptSearch
        self.updatedTimestamp = updatedTimestamp
    }

    /// Whether `call` satisfies every criterion except `transcriptSearch`, which needs an engine's tokenized transcripts.
    public func matchesFields(of call: Call) -> Bool {
        if !statuses.isEmpty, !statuses.contains(call.status) { return false }
        if !agentIDs.isEmpty, !agentIDs.contains(call.agentID) { return false }
        if !types.isEmpty, !types.contains(call.type) { return false }
        if !directions.isEmpty, !directions.contains(call.direction) { return false }
        if !fromNumbers.isEmpty, !Self.contains(fromNumbers, call.fromNumber) { return false }
        if !toNumbers.isEmpty, !Self.contains(toNumbers, call.toNumber) { return false }
        if let duration, !duration.isUnbounded {
            // API.md: the duration filter requires a known duration.
            guard let value = call.duration, duration.contains(value) else { return false }
        }
        if let startTimestamp, !startTimestamp.contains(call.startTimestamp) { return false }
        if let updatedTimestamp, !updatedTimestamp.contains(call.updatedTimestamp) { return false }
        return true
    }

    private static func contains(_ list: [String], _ value: String?) -> Bool {
        guard let value else { return false }
        return list.contains(value)
    }
}
