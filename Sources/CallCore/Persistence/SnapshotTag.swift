/// What a section of an indexed snapshot holds; the loader checks each section's tag against the one it expects,
/// so a payload from a different layout is refused rather than misread.
enum SnapshotTag: UInt32 {
    case store = 1
    case organization
    case partition
    case calls
    case order
    case codes
    case valueBytes
    case valueEnds
    case postingCounts
    case postingOffsets
    case postingRows
    case postingBitmapIndex
    case postingBitmaps
    case pairKeys
    case pairValues
    case delta
    case changes
}
