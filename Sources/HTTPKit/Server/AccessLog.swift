import Foundation
import Glibc
import Locking

/// Buffered request log written to a file descriptor (stderr by default) by its own thread,
/// so a slow terminal never slows a request. Lines past `maxPendingBytes` are dropped and counted.
public final class AccessLog: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var dropped = 0
        var stopped = false
    }

    private let fd: Int32
    private let maxPendingBytes: Int
    private let format: LogFormat
    private let state = Locked(State())

    /// Creates a log writing to `fd` in `format` (of its own notices; request lines come formatted); call `start()`
    /// to begin flushing.
    public init(fd: Int32 = 2, maxPendingBytes: Int = 8 << 20, format: LogFormat = .text) {
        self.fd = fd
        self.maxPendingBytes = maxPendingBytes
        self.format = format
    }

    /// Queues already formatted lines (each ending in a newline).
    public func append(_ lines: [UInt8]) {
        guard !lines.isEmpty else { return }
        state.withLock { state in
            if state.pending.count + lines.count > maxPendingBytes {
                state.dropped += 1
            } else {
                state.pending.append(contentsOf: lines)
            }
        }
    }

    /// Queues one line of text.
    public func append(line: String) {
        append(Array((line + "\n").utf8))
    }

    /// Starts the background writer thread.
    public func start() {
        let thread = Thread { [self] in
            while true {
                let stop = flush()
                if stop { return }
                usleep(50_000)
            }
        }
        thread.name = "access-log"
        thread.start()
    }

    /// Writes everything queued so far; returns whether the log was stopped.
    @discardableResult
    public func flush() -> Bool {
        let (bytes, dropped, stopped) = state.withLock { state -> ([UInt8], Int, Bool) in
            let taken = state.pending
            let dropped = state.dropped
            state.pending.removeAll(keepingCapacity: true)
            state.dropped = 0
            return (taken, dropped, state.stopped)
        }
        var out = bytes
        if dropped > 0 {
            let notice = "access log: dropped \(dropped) batches, output too slow"
            switch format {
            case .text:
                out.append(contentsOf: Array((notice + "\n").utf8))
            case .json:
                out.append(contentsOf: JSONLogLine.message(notice, level: "warn"))
            }
        }
        out.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = write(fd, base + offset, raw.count - offset)
                if n <= 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
        return stopped
    }

    /// Flushes what is queued and stops the writer thread.
    public func stop() {
        state.withLock { $0.stopped = true }
        flush()
    }
}
