/// What `salvage` found in a data directory's journal: every intact record from a sequence on, read past damage.
public struct JournalSalvageReading: Sendable {
    /// The intact records at or after the requested sequence, in journal order.
    public var records: [[UInt8]] = []
    /// Records the segments account for that were not found intact.
    public var lost = 0
    /// One line per finding, naming the file.
    public var findings: [String] = []
    /// Every segment file, read or not (they are all replaced by the salvaged snapshot).
    public var segmentPaths: [String] = []
    /// One past the highest record number seen.
    public var nextSequence: UInt64 = 0
}
