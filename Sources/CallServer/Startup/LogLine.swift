import Foundation
import HTTPKit
import Synchronization

/// Whether `logLine` writes JSON objects (`--log-format json`); set once the options are read.
let jsonLogLines = Atomic<Bool>(false)

/// Writes one line to stderr, unbuffered (startup and shutdown messages): the text, or in JSON mode an object
/// with `timestamp`, `level` and `message`, so a log shipper reads one format.
func logLine(_ text: String, level: String = "info") {
    guard jsonLogLines.load(ordering: .relaxed) else {
        FileHandle.standardError.write(Data((text + "\n").utf8))
        return
    }
    FileHandle.standardError.write(Data(JSONLogLine.message(text, level: level)))
}
