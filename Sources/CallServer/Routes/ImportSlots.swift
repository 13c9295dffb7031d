import Synchronization

/// At most one import per organization at a time (API.md: a second is 429 while one runs), so one organization
/// cannot fill the body budget and the slow-work pool with imports, or make the others' writes wait behind them.
final class ImportSlots: Sendable {
    private let running = Mutex<Set<String>>([])

    /// The organization's slot, or nil while another import of it holds the slot.
    func claim(_ organizationID: String) -> Slot? {
        guard running.withLock({ $0.insert(organizationID).inserted }) else { return nil }
        return Slot(organizationID: organizationID, slots: self)
    }

    fileprivate func release(_ organizationID: String) {
        _ = running.withLock { $0.remove(organizationID) }
    }

    /// One import's hold on its organization's slot. The import gives it back before its answer goes out; should the
    /// import end without an answer of its own (refused after admission, its client gone, its body cut off), the slot
    /// goes back when the last holder of the request lets go of it.
    final class Slot: Sendable {
        private let organizationID: String
        private let slots: ImportSlots
        private let held = Atomic<Bool>(true)

        fileprivate init(organizationID: String, slots: ImportSlots) {
            self.organizationID = organizationID
            self.slots = slots
        }

        /// Gives the slot back (once; later calls do nothing).
        func release() {
            if held.exchange(false, ordering: .acquiringAndReleasing) { slots.release(organizationID) }
        }

        deinit {
            release()
        }
    }
}
