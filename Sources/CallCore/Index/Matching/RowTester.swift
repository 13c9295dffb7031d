/// Tests single rows against one criterion (the form `RowConstraint.tester` picks).
enum RowTester {
    case codes([UInt32], [UInt32])
    /// The row's rank in an order (its ranks given) is in the run of positions whose values are in range.
    case rank([UInt32], Range<Int>)
    case bitmap(RowBitmap)
    case list(RowListCursor)
    case phrase(PhraseVerifier, WordFolder)

    /// Keeps the rows of `candidates` (ascending rows of `partition`) that pass. A range test runs as one tight
    /// loop over the ranks, with no dispatch per row: it is the test a driver's rows meet most.
    mutating func keepPassing(_ candidates: inout [UInt32], _ partition: BasePartition) {
        if case .rank(let ranks, let positions) = self {
            ranks.withUnsafeBufferPointer { ranks in candidates.removeAll { !positions.contains(Int(ranks[Int($0)])) } }
            return
        }
        candidates.removeAll { !passes($0, partition) }
    }

    /// Whether `row` passes; rows must be asked in ascending order (list cursors only move forward).
    mutating func passes(_ row: UInt32, _ partition: BasePartition) -> Bool {
        switch self {
        case .codes(let codes, let accepted):
            let code = codes[Int(row)]
            if accepted.count <= 8 { return accepted.contains(code) }
            let low = partitionPoint(accepted.indices) { accepted[$0] < code }
            return low < accepted.count && accepted[low] == code
        case .rank(let ranks, let positions):
            // One read, of the rank: the run holds only valued positions, so rows without a value fall outside.
            return positions.contains(Int(ranks[Int(row)]))
        case .bitmap(let bitmap):
            return bitmap.contains(Int(row))
        case .list(var cursor):
            let found = cursor.contains(row)
            self = .list(cursor)
            return found
        case .phrase(let verifier, var folder):
            let found = verifier.matches(partition.calls.transcript(Int(row)), folder: &folder)
            self = .phrase(verifier, folder)
            return found
        }
    }
}
