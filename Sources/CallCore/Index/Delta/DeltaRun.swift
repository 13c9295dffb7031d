/// An immutable run of delta entries (at most one per call_id) with what they superseded: base rows, and
/// entries of older runs (by sequence). A version holds a few runs of geometrically growing age and size, so a
/// write adds one small run and merges only runs of similar size (each entry is merged O(log) times).
final class DeltaRun: Sendable {
    /// The entries, by ascending sequence.
    let entries: [DeltaEntry]
    /// call_id → index in `entries`.
    let indexByCallID: [String: Int]
    /// Base rows this run's writes replaced or deleted, ascending.
    let killedBaseRows: [UInt32]
    /// Sequences of older runs' entries this run's writes superseded, ascending.
    let killedSequences: [Int]
    /// Words the base lacks, summed over the entries' transcripts: prefix terms test them one by one.
    let extraWordCount: Int

    init(entries: [DeltaEntry], killedBaseRows: [UInt32], killedSequences: [Int]) {
        self.entries = entries
        var index: [String: Int] = [:]
        index.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() { index[entry.callID] = position }
        indexByCallID = index
        self.killedBaseRows = killedBaseRows
        self.killedSequences = killedSequences
        extraWordCount = entries.reduce(0) { $0 + $1.extraWords.count }
    }

    /// The newest entry of `callID` in this run.
    func entry(callID: String) -> DeltaEntry? {
        indexByCallID[callID].map { entries[$0] }
    }

    /// One run equivalent to `group` (consecutive runs, oldest first), built in one pass: each entry is copied
    /// once however many runs are merged, where merging them pairwise would copy the oldest entries every time.
    static func merged(_ group: ArraySlice<DeltaRun>) -> DeltaRun {
        var dropped = Set<Int>()
        var entries: [DeltaEntry] = []
        entries.reserveCapacity(group.reduce(0) { $0 + $1.entries.count })
        for (position, run) in zip(group.indices, group) {
            let newer = group[(position + 1)...]
            for entry in run.entries {
                // Superseded by a later write in the group: its kill, aimed inside the group, is settled too.
                if newer.contains(where: { $0.indexByCallID[entry.callID] != nil }) {
                    dropped.insert(entry.sequence)
                } else {
                    entries.append(entry)
                }
            }
        }
        var killedBaseRows: [UInt32] = []
        var killedSequences: [Int] = []
        for run in group {
            killedBaseRows = mergeSorted(killedBaseRows, run.killedBaseRows)
            killedSequences = mergeSorted(killedSequences, dropped.isEmpty ? run.killedSequences : run.killedSequences.filter { !dropped.contains($0) })
        }
        return DeltaRun(entries: entries, killedBaseRows: killedBaseRows, killedSequences: killedSequences)
    }

    /// The union of two ascending arrays, ascending.
    static func mergeSorted<Element: Comparable>(_ a: [Element], _ b: [Element]) -> [Element] {
        var result: [Element] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] {
                result.append(a[i])
                i += 1
            } else if b[j] < a[i] {
                result.append(b[j])
                j += 1
            } else {
                result.append(a[i])
                i += 1
                j += 1
            }
        }
        result += a[i...]
        result += b[j...]
        return result
    }
}
