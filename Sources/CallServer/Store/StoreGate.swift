import CallCore
import Synchronization

/// The repository once recovery has finished. The server listens from the start, so `/healthz` can
/// say "starting" (503) and API routes answer 503 instead of refusing connections while a large data
/// directory is replayed.
final class StoreGate: Sendable {
    /// Set once and never cleared, so every request reads it with one atomic load instead of a lock
    /// that all event loops would share. The repository lives as long as the process.
    private let slot = Atomic<Unmanaged<CallRepository>?>(nil)

    /// Makes the recovered repository available to every route (the first call wins).
    func open(_ repository: CallRepository) {
        let retained = Unmanaged.passRetained(repository)
        let (exchanged, _) = slot.compareExchange(expected: nil, desired: retained, ordering: .acquiringAndReleasing)
        if !exchanged { retained.release() }
    }

    /// Whether recovery has finished.
    var isOpen: Bool { slot.load(ordering: .acquiring) != nil }

    /// The repository, or 503 while the server is still starting.
    func repository() throws(APIFailure) -> CallRepository {
        guard let repository = slot.load(ordering: .acquiring)?.takeUnretainedValue() else {
            throw APIFailure(error: APIError(
                status: 503, code: "unavailable", message: "The server is starting (loading its data); retry shortly."))
        }
        return repository
    }
}
