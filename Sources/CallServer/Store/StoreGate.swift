import CallCore
import Synchronization

/// The repository once recovery has finished. The server listens from the start, so `/healthz` can
/// say "starting" (503) and API routes answer 503 instead of refusing connections while a large data
/// directory is replayed.
final class StoreGate: Sendable {
    private let slot = Mutex<CallRepository?>(nil)

    /// Makes the recovered repository available to every route.
    func open(_ repository: CallRepository) {
        slot.withLock { $0 = repository }
    }

    /// Whether recovery has finished.
    var isOpen: Bool { slot.withLock { $0 != nil } }

    /// The repository, or 503 while the server is still starting.
    func repository() throws(APIFailure) -> CallRepository {
        guard let repository = slot.withLock({ $0 }) else {
            throw APIFailure(error: APIError(
                status: 503, code: "unavailable", message: "The server is starting (loading its data); retry shortly."))
        }
        return repository
    }
}
