/// One answer of the changes feed: the live entries after a position, in sequence order, and where the next
/// answer continues.
public struct ChangesPage: Sendable {
    /// The changes, each call once (at its latest write) and each deletion once.
    let entries: [ChangeEntry]
    /// The sequence the next request continues after.
    public let nextSequence: UInt64
    /// Whether changes after `nextSequence` already exist.
    public let hasMore: Bool

    /// The number of changes.
    public var count: Int { entries.count }

    /// Entries read past (live or superseded) before a page stops looking: bounds the work of one request
    /// whatever the feed holds; the page then ends early with `hasMore`, and the next one goes on from there.
    static let scanBudget = 64 * 1024
}

extension ChangeLog {
    /// Up to `limit` live changes of `organizationID` after `sequence`.
    public func page(organizationID: String, after sequence: UInt64, limit: Int) -> ChangesPage {
        guard let changes = organizations[organizationID] else {
            return ChangesPage(entries: [], nextSequence: sequence, hasMore: false)
        }
        var entries: [ChangeEntry] = []
        entries.reserveCapacity(min(limit, 1024))
        var index = changes.firstIndex(after: sequence)
        var scanned = 0
        var position = sequence
        while index < changes.count && scanned < ChangesPage.scanBudget {
            let entry = changes.entry(at: index)
            if changes.isLive(index) {
                if entries.count == limit {
                    return ChangesPage(entries: entries, nextSequence: position, hasMore: true)
                }
                entries.append(entry)
            }
            position = entry.sequence
            index += 1
            scanned += 1
        }
        if index < changes.count {
            return ChangesPage(entries: entries, nextSequence: position, hasMore: true)
        }
        return ChangesPage(entries: entries, nextSequence: max(changes.lastSequence, sequence), hasMore: false)
    }

    /// Whether this history holds what `token` saw for `organizationID`, so it can be continued: its epoch is one of
    /// this history's, its sequence no later than where that epoch ends here, and no deletion its copy may need has
    /// been dropped for age (every dropped one lies at or before its sequence, or was dropped before its copy could
    /// hold the call: up to its baseline).
    public func continues(_ token: ChangesToken, organizationID: String) -> Bool {
        guard let epochIndex = epochs.lastIndex(of: token.epoch) else { return false }
        let changes = organizations[organizationID] ?? OrganizationChanges()
        return token.sequence <= changes.lastSequence(throughEpoch: epochIndex)
            && (token.sequence >= changes.expiredThrough || token.baseline >= changes.expiredThrough)
    }

    /// The token to hand out after a page ending at `sequence`, for a copy whose baseline was `baseline` (nil: a
    /// copy starting now, from `since: null`, which cannot hold a call whose deletion was already dropped).
    func token(after sequence: UInt64, baseline: UInt64?, organizationID: String) -> ChangesToken {
        let expired = organizations[organizationID]?.expiredThrough ?? 0
        // A copy at or past every dropped deletion needs none of them; one that started now needed none either.
        let kept = baseline == nil || sequence >= expired ? expired : baseline ?? 0
        return ChangesToken(epoch: currentEpoch, sequence: sequence, baseline: kept)
    }
}
