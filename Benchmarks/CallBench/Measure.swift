import Foundation

/// Timing and memory readings for the benchmark.
enum Measure {
    /// Monotonic nanoseconds.
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Seconds since `start`.
    static func seconds(since start: UInt64) -> Double { Double(now() - start) / 1e9 }

    /// CPU seconds (user + system) used by the process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// A field of /proc/self/status in bytes (`VmHWM`: peak resident memory, `VmRSS`: current).
    static func status(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            return (digits.first ?? 0) * 1024
        }
        return 0
    }

    /// Median and 99th percentile (nearest rank) of `samples`, in milliseconds.
    static func summary(_ samples: [UInt64]) -> (median: Double, p99: Double) {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return (0, 0) }
        let median = Double(sorted[sorted.count / 2]) / 1e6
        let rank = min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)
        return (median, Double(sorted[max(0, rank)]) / 1e6)
    }

    /// A byte count as MiB text.
    static func mib(_ bytes: Int) -> String { String(format: "%.0f MiB", Double(bytes) / 1_048_576) }
}
