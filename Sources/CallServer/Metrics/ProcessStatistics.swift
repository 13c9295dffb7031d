import Glibc

/// The standard `process_*` metrics of this process, read from `/proc` when scraped.
struct ProcessStatistics {
    var residentBytes: UInt64 = 0
    var openDescriptors: UInt64 = 0
    var cpuSeconds: Double = 0
    var startTimeSeconds: Double = 0

    /// The figures now; any that cannot be read stay 0.
    static func read() -> ProcessStatistics {
        var statistics = ProcessStatistics()
        let ticks = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        // Fields after the command name, which is in parentheses and may itself hold spaces or parentheses.
        if let stat = procFile("/proc/self/stat"), let close = stat.lastIndex(of: UInt8(ascii: ")")) {
            let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
            // `fields[0]` is field 3 of proc(5): utime is 14, stime 15, starttime 22, rss 24.
            if fields.count > 21 {
                statistics.cpuSeconds = (Double(fields[11]) ?? 0) / ticks + (Double(fields[12]) ?? 0) / ticks
                statistics.residentBytes = (UInt64(fields[21]) ?? 0) * UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
                statistics.startTimeSeconds = Double(bootTime()) + (Double(fields[19]) ?? 0) / ticks
            }
        }
        statistics.openDescriptors = countDescriptors()
        return statistics
    }

    /// Seconds since the epoch at which the system booted (`btime` of `/proc/stat`).
    private static func bootTime() -> UInt64 {
        guard let stat = procFile("/proc/stat") else { return 0 }
        for line in stat.split(separator: UInt8(ascii: "\n")) where line.starts(with: "btime ".utf8) {
            return UInt64(String(decoding: line.dropFirst(6), as: UTF8.self)) ?? 0
        }
        return 0
    }

    /// Entries of `/proc/self/fd`, less the one the listing itself opens.
    private static func countDescriptors() -> UInt64 {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count: UInt64 = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0.first == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return count > 0 ? count - 1 : 0
    }

    /// A `/proc` file's bytes (its size reads as 0, so it is read to the end).
    private static func procFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
