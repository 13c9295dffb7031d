import Glibc

/// The wall clock that stamps writes (`updated_timestamp`), injectable so tests can hold it still or step it back.
public struct ServerClock: Sendable {
    /// Milliseconds since the Unix epoch, now.
    public let milliseconds: @Sendable () -> Int64

    /// A clock that reads `milliseconds`.
    public init(milliseconds: @escaping @Sendable () -> Int64) {
        self.milliseconds = milliseconds
    }

    /// The system's real-time clock.
    public static let system = ServerClock {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
