/// A `since` token: a position in one organization's changes feed, as (epoch, sequence, baseline), with a tag that
/// only this data directory's secret makes. Base64url of `version, epoch, sequence, baseline, tag` (integers
/// big-endian, the tag a SipHash-2-4-128 over the organization and those bytes), 55 characters.
public struct ChangesToken: Sendable, Equatable {
    /// The server start the position was issued in (`ChangeLog.currentEpoch`).
    public let epoch: UInt64
    /// The organization's last sequence the holder has seen.
    public let sequence: UInt64
    /// The organization's `expiredThrough` that the holder's copy cannot be missing a deletion from: deletions
    /// dropped up to it were dropped before the copy could hold their calls (it started from `since: null` after
    /// them, or had read past them).
    public let baseline: UInt64

    /// A position.
    public init(epoch: UInt64, sequence: UInt64, baseline: UInt64) {
        self.epoch = epoch
        self.sequence = sequence
        self.baseline = baseline
    }
}
