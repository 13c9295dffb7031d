/// The delta of a version as a query needs it: which base rows are gone, and which entries are live (read in
/// place from the runs, never copied).
struct DeltaView {
    /// Base rows replaced or deleted, ascending.
    let killedBaseRows: [UInt32]
    private let runs: [DeltaRun]
    /// One bit per sequence: superseded entries.
    private let dead: [UInt64]

    init(_ runs: [DeltaRun]) {
        self.runs = runs
        guard !runs.isEmpty else {
            killedBaseRows = []
            dead = []
            return
        }
        var killedBase: [UInt32] = []
        var highest = 0
        for run in runs {
            killedBase = DeltaRun.mergeSorted(killedBase, run.killedBaseRows)
            highest = max(highest, (run.entries.last?.sequence ?? 0) + 1, (run.killedSequences.last ?? 0) + 1)
        }
        var dead = [UInt64](repeating: 0, count: (highest + 63) >> 6)
        for run in runs {
            for sequence in run.killedSequences { dead[sequence >> 6] |= 1 << UInt64(sequence & 63) }
        }
        killedBaseRows = killedBase
        self.dead = dead
    }

    /// Whether there is anything beyond the base.
    var isEmpty: Bool { runs.isEmpty }

    /// Calls `body` with the run, index and address of each live entry that holds a call (not a deletion mark).
    func forEachLiveEntry(_ body: (Int, Int, UnsafePointer<DeltaEntry>) -> Void) {
        for (number, run) in runs.enumerated() {
            run.entries.withUnsafeBufferPointer { entries in
                guard let base = entries.baseAddress else { return }
                for index in 0..<entries.count {
                    // Through the pointer, so only the fields read are loaded (no copy of the entry).
                    let entry = base + index
                    guard entry.pointee.isCall else { continue }
                    let sequence = entry.pointee.sequence
                    if sequence >> 6 < dead.count, dead[sequence >> 6] & (1 << UInt64(sequence & 63)) != 0 { continue }
                    body(number, index, entry)
                }
            }
        }
    }

    /// The call of entry `index` of run `run` (a live entry reported by `forEachLiveEntry`).
    func call(run: Int, index: Int) -> Call? { runs[run].entries[index].call }

    /// Whether the call of one entry precedes the other's in `ordering`, reading both in place.
    func precedes(_ a: (run: Int, index: Int), _ b: (run: Int, index: Int), in ordering: CallOrdering) -> Bool {
        runs[a.run].entries.withUnsafeBufferPointer { first in
            runs[b.run].entries.withUnsafeBufferPointer { second in
                guard let first = first.baseAddress, let second = second.baseAddress else { return false }
                assert(a.index >= 0 && a.index < runs[a.run].entries.count && b.index >= 0 && b.index < runs[b.run].entries.count,
                    "both entries are entries of their runs")
                return DeltaEntry.precedes(first + a.index, second + b.index, field: ordering.field, order: ordering.order)
            }
        }
    }
}
