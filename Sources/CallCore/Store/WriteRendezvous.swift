import Locking

/// Joins the two halves of a write that finish on different threads: the answer rendered by the writing
/// thread and the durability verdict from the journal's writer. Whichever arrives second completes the write,
/// exactly once; a failed flush completes it at once, and the rendered answer is then dropped.
final class WriteRendezvous<Answer: Sendable>: Sendable {
    private enum Stage {
        case waiting
        case rendered(Answer)
        case durable
        case done
    }

    private let stage = Locked<Stage>(.waiting)
    private let completion: @Sendable (Result<Answer, APIError>) -> Void

    init(completion: @escaping @Sendable (Result<Answer, APIError>) -> Void) {
        self.completion = completion
    }

    /// The answer is ready; completes the write if it is already durable.
    func rendered(_ answer: Answer) {
        let ready = stage.withLock { stage -> Bool in
            switch stage {
            case .waiting:
                stage = .rendered(answer)
                return false
            case .durable:
                stage = .done
                return true
            case .rendered, .done:
                return false
            }
        }
        if ready { completion(.success(answer)) }
    }

    /// The write is durable and visible; completes it if the answer is already rendered.
    func durable() {
        let answer = stage.withLock { stage -> Answer? in
            switch stage {
            case .waiting:
                stage = .durable
                return nil
            case .rendered(let answer):
                stage = .done
                return answer
            case .durable, .done:
                return nil
            }
        }
        if let answer { completion(.success(answer)) }
    }

    /// The write could not be made durable: completes it with `error` unless it already completed.
    func fail(_ error: APIError) {
        let first = stage.withLock { stage -> Bool in
            if case .done = stage { return false }
            stage = .done
            return true
        }
        if first { completion(.failure(error)) }
    }
}
