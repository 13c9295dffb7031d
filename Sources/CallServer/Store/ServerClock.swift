import Glibc

/// The wall clock that stamps writes (`updated_timestamp`), injectable so tests can hold it still or step it back.
struct ServerClock: Sendable {
    /// Milliseconds since the Unix epoch, now.
    let milliseconds: @Sendable () -> Int64

    /// The system's real-time clock.
    static let system = ServerClock {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
