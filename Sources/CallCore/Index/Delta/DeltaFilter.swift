/// A `CallFilter` prepared once per query for testing delta entries, so a test costs about the same however long
/// the lists are (a list may hold 1,000 items, a delta tens of thousands of entries): string lists become the
/// base's interned codes of their values plus the values the base lacks, enumeration lists stay as they are
/// (de-duplicated, they hold a few cases at most).
struct DeltaFilter {
    /// Accepted statuses, types and directions; nil when not given.
    let statuses: [CallStatus]?
    let types: [CallType]?
    let directions: [CallDirection]?
    /// Accepted agent ids, `from_number` and `to_number` values; nil when not given.
    let agents: DeltaValueSet?
    let fromNumbers: DeltaValueSet?
    let toNumbers: DeltaValueSet?
    /// Bounds on the duration (nil: none; a known duration is required otherwise), on the start and on the last
    /// update.
    let duration: ThresholdRange?
    let startTimestamp: ThresholdRange?
    let updatedTimestamp: ThresholdRange?

    /// Prepares `filter` against `base`, whose codes the delta entries carry.
    init(_ filter: CallFilter, base: BasePartition) {
        statuses = filter.statuses.isEmpty ? nil : filter.statuses
        types = filter.types.isEmpty ? nil : filter.types
        directions = filter.directions.isEmpty ? nil : filter.directions
        agents = filter.agentIDs.isEmpty ? nil : DeltaValueSet(filter.agentIDs, column: base.agent)
        fromNumbers = filter.fromNumbers.isEmpty ? nil : DeltaValueSet(filter.fromNumbers, column: base.fromNumber)
        toNumbers = filter.toNumbers.isEmpty ? nil : DeltaValueSet(filter.toNumbers, column: base.toNumber)
        duration = filter.duration.flatMap { $0.isUnbounded ? nil : $0 }
        startTimestamp = filter.startTimestamp
        updatedTimestamp = filter.updatedTimestamp
    }
}
