/// Open connections indexed by descriptor: descriptors are small integers, so an array beats hashing
/// on every event.
struct ConnectionTable {
    private var slots: [Connection?] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    subscript(fd: Int32) -> Connection? {
        get { fd >= 0 && Int(fd) < slots.count ? slots[Int(fd)] : nil }
        set {
            guard fd >= 0 else { return }
            let index = Int(fd)
            if index >= slots.count { slots.append(contentsOf: repeatElement(nil, count: index - slots.count + 64)) }
            if slots[index] == nil, newValue != nil { count += 1 }
            if slots[index] != nil, newValue == nil { count -= 1 }
            slots[index] = newValue
        }
    }

    mutating func remove(_ fd: Int32) -> Connection? {
        let existing = self[fd]
        self[fd] = nil
        return existing
    }

    func all() -> [Connection] { slots.compactMap { $0 } }
}
