import CallCore
import HTTPKit

/// `GET /metrics`: the Prometheus text exposition (format 0.0.4) of the server, its store, its journal and its
/// process. Labels carry route patterns, methods, statuses and refusal reasons only: never an organization, a key
/// or anything of a call.
struct MetricsHandler: HTTPHandler {
    let http: HTTPMetrics
    let gate: StoreGate

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        // Not this route's limit: a GET's body is capped and dropped by the server's rule for routes that take none.
        HTTPAdmission(maxBodyBytes: .max)
    }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        var text = PrometheusText()
        http.write(to: &text)
        writeStore(to: &text)
        writeProcess(to: &text)
        return HTTPResponse(
            status: 200, headers: [HTTPField(name: "Content-Type", value: PrometheusText.contentType)],
            body: Array(text.text.utf8))
    }

    /// Calls stored and the journal's writes, bytes and sync times (zero while the store is still loading).
    private func writeStore(to text: inout PrometheusText) {
        let repository = try? gate.repository()
        let journal = repository?.journal.statistics ?? Journal.Statistics()
        text.family("callserver_calls", .gauge, help: "Calls stored, all organizations.")
        text.sample("callserver_calls", UInt64(repository?.current.count ?? 0))
        text.family("callserver_writes_total", .counter, help: "Writes made durable in the journal and acknowledged.")
        text.sample("callserver_writes_total", UInt64(journal.acknowledgedAppends))
        text.family("callserver_journal_bytes", .gauge, help: "Bytes of the journal's live segments, replayed on a restart.")
        text.sample("callserver_journal_bytes", UInt64(repository?.journal.byteSize ?? 0))
        text.family(
            "callserver_journal_fsync_duration_seconds", .histogram, help: "Time of each group commit's fdatasync.")
        text.histogram(
            "callserver_journal_fsync_duration_seconds",
            bounds: Journal.Statistics.syncDurationBounds.map { Double($0) / 1e9 },
            counts: journal.syncDurationCounts.map { UInt64($0) }, sum: Double(journal.syncNanoseconds) / 1e9)
    }

    private func writeProcess(to text: inout PrometheusText) {
        let process = ProcessStatistics.read()
        text.family("process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes.")
        text.sample("process_resident_memory_bytes", process.residentBytes)
        text.family("process_open_fds", .gauge, help: "Number of open file descriptors.")
        text.sample("process_open_fds", process.openDescriptors)
        text.family("process_cpu_seconds_total", .counter, help: "Total user and system CPU time spent in seconds.")
        text.sample("process_cpu_seconds_total", process.cpuSeconds)
        text.family("process_start_time_seconds", .gauge, help: "Start time of the process since unix epoch in seconds.")
        text.sample("process_start_time_seconds", process.startTimeSeconds)
    }
}
