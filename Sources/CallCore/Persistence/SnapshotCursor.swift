/// Hands out loaded sections in the order they were written, checking each one's tag, so the code that
/// rebuilds a structure reads like the code that wrote it.
struct SnapshotCursor {
    private let sections: [SnapshotSection]
    private let data: [SnapshotSectionData]
    private let location: JournalSnapshotLocation
    private(set) var index: Int

    init(sections: [SnapshotSection], data: [SnapshotSectionData], location: JournalSnapshotLocation, index: Int = 0) {
        self.sections = sections
        self.data = data
        self.location = location
        self.index = index
    }

    /// An error naming the snapshot and the section just read.
    func corrupt(_ why: String) -> StoreSnapshotError {
        SnapshotSectionReader.corrupt(location, "section \(index - 1): \(why)")
    }

    private mutating func next(_ tag: SnapshotTag) throws(StoreSnapshotError) -> (SnapshotSection, SnapshotSectionData) {
        guard index < sections.count else { throw SnapshotSectionReader.corrupt(location, "sections end early") }
        defer { index += 1 }
        guard sections[index].tag == tag.rawValue else {
            throw SnapshotSectionReader.corrupt(location, "section \(index) is not the expected \(tag)")
        }
        return (sections[index], data[index])
    }

    /// The next section, which must be bytes tagged `tag`.
    mutating func bytes(_ tag: SnapshotTag) throws(StoreSnapshotError) -> [UInt8] {
        guard case .bytes(let values) = try next(tag).1 else { throw corrupt("expected bytes") }
        return values
    }

    /// The next section, which must be 32-bit integers tagged `tag`.
    mutating func words32(_ tag: SnapshotTag) throws(StoreSnapshotError) -> [UInt32] {
        guard case .words32(let values) = try next(tag).1 else { throw corrupt("expected 32-bit integers") }
        return values
    }

    /// The next section, which must be 64-bit integers tagged `tag`.
    mutating func words64(_ tag: SnapshotTag) throws(StoreSnapshotError) -> [UInt64] {
        guard case .words64(let values) = try next(tag).1 else { throw corrupt("expected 64-bit integers") }
        return values
    }

    /// The next section, which must be equal-size pieces of `size` 64-bit words tagged `tag`.
    mutating func pieces(_ tag: SnapshotTag, size: Int) throws(StoreSnapshotError) -> [[UInt64]] {
        let (section, data) = try next(tag)
        if section.length == 0 { return [] }
        guard case .pieces(let values) = data, section.chunk == size else { throw corrupt("expected pieces of \(size) words") }
        return values
    }

    /// The next section, a call block; returns its number of calls.
    mutating func callBlock() throws(StoreSnapshotError) -> Int {
        let (section, data) = try next(.calls)
        guard case .calls = data else { throw corrupt("expected calls") }
        return section.chunk
    }

    /// Whether the next section carries `tag`.
    func isNext(_ tag: SnapshotTag) -> Bool { index < sections.count && sections[index].tag == tag.rawValue }
}
