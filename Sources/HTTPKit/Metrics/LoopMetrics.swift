import Glibc
import Synchronization

/// The request counters of one event loop, in flat arrays indexed by route × method × status. Only the loop's
/// thread writes them, so an increment is a relaxed load and store (no locked instruction, no lock, no cache line
/// shared with another loop); a scrape reads them with relaxed loads from any thread and sums the loops.
final class LoopMetrics: @unchecked Sendable {
    /// Routes counted: index 0 is `unmatched`, then the router's patterns.
    let routeCount: Int
    private let methodCount = MetricLabels.methods.count
    private let bucketCount = MetricLabels.durationBounds.count + 1
    private let bucketsStart: Int
    private let sumsStart: Int
    private let refusalsStart: Int
    /// Every counter, one allocation of whole pages: pages never written stay unbacked, and no other loop's
    /// counters share a cache line with these.
    private let slots: UnsafeMutablePointer<Atomic<UInt64>>
    private let mappedBytes: Int
    private let mapped: Bool

    /// Zeroed counters for `routeCount` routes (`unmatched` included).
    init(routeCount: Int) {
        self.routeCount = max(1, routeCount)
        bucketsStart = self.routeCount * methodCount * MetricLabels.statusSlots
        sumsStart = bucketsStart + self.routeCount * bucketCount
        refusalsStart = sumsStart + self.routeCount
        let slotCount = refusalsStart + RefusalReason.allCases.count
        let page = max(4096, sysconf(Int32(_SC_PAGESIZE)))
        mappedBytes = (slotCount * MemoryLayout<UInt64>.stride + page - 1) / page * page
        let memory = mmap(nil, mappedBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        let raw: UnsafeMutableRawPointer
        if let memory, memory != MAP_FAILED {
            raw = memory
            mapped = true
        } else {
            // Anonymous mappings come zeroed; an allocation must be zeroed by hand.
            raw = UnsafeMutableRawPointer.allocate(byteCount: mappedBytes, alignment: page)
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: mappedBytes)
            mapped = false
        }
        // An `Atomic<UInt64>` is laid out as a `UInt64`, and zero bytes are one holding 0.
        assert(MemoryLayout<Atomic<UInt64>>.stride == MemoryLayout<UInt64>.stride, "a counter is laid out as a UInt64")
        assert(slotCount * MemoryLayout<UInt64>.stride <= mappedBytes, "the pages hold every counter")
        slots = raw.bindMemory(to: Atomic<UInt64>.self, capacity: slotCount)
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(slots), mappedBytes)
        } else {
            UnsafeMutableRawPointer(slots).deallocate()
        }
    }

    /// Counts one answered request (owning loop only).
    @inline(__always)
    func countRequest(route: Int, method: Int, status: Int, nanoseconds: UInt64) {
        let routeSlot = route < routeCount && route >= 0 ? route : 0
        assert(method >= 0 && method < methodCount, "the method is one of the counted slots")
        bump((routeSlot * methodCount + method) * MetricLabels.statusSlots + MetricLabels.statusSlot(status))
        bump(bucketsStart + routeSlot * bucketCount + MetricLabels.durationSlot(nanoseconds))
        bump(sumsStart + routeSlot, by: nanoseconds)
    }

    /// Counts one refusal (owning loop only).
    func countRefusal(_ reason: RefusalReason) {
        bump(refusalsStart + reason.rawValue)
    }

    @inline(__always)
    private func bump(_ index: Int, by amount: UInt64 = 1) {
        // Single writer: a plain load and store, no read-modify-write instruction.
        assert(index >= 0 && index < slotCount, "the counter lies within the allocation")
        slots[index].store(slots[index].load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    /// The number of counters (the allocation holds at least these).
    private var slotCount: Int { refusalsStart + RefusalReason.allCases.count }

    /// Adds these counters to `totals` (any thread).
    func add(to totals: inout HTTPCounterTotals) {
        totals.prepare(routeCount: routeCount)
        assert(
            totals.requests.count == bucketsStart && totals.durationBuckets.count == sumsStart - bucketsStart
                && totals.durationNanoseconds.count == routeCount && totals.refusals.count == RefusalReason.allCases.count,
            "the totals are laid out as these counters")
        for index in 0..<totals.requests.count { totals.requests[index] &+= slots[index].load(ordering: .relaxed) }
        for index in 0..<totals.durationBuckets.count {
            totals.durationBuckets[index] &+= slots[bucketsStart + index].load(ordering: .relaxed)
        }
        for index in 0..<routeCount { totals.durationNanoseconds[index] &+= slots[sumsStart + index].load(ordering: .relaxed) }
        for reason in RefusalReason.allCases {
            totals.refusals[reason.rawValue] &+= slots[refusalsStart + reason.rawValue].load(ordering: .relaxed)
        }
    }
}
