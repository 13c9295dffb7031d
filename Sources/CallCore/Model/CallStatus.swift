/// The lifecycle state of a call.
public enum CallStatus: String, Sendable, CaseIterable, CallEnumeration {
    /// Planned, not started.
    case scheduled = "SCHEDULED"
    /// Registered with the platform, not started.
    case registered = "REGISTERED"
    /// In progress.
    case ongoing = "ONGOING"
    /// Finished normally; carries an `end_timestamp`.
    case ended = "ENDED"
    /// Finished with an error; carries an `end_timestamp`.
    case error = "ERROR"

    /// Whether a call in this state has ended and so must carry `end_timestamp` (and any other state must not).
    public var hasEnded: Bool { self == .ended || self == .error }
}
