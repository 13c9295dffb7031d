import CallCore
import Foundation

/// Writes calls as NDJSON import lines (the API record plus `organization_id` and `id`), the input the bar's memory
/// limit is measured against and the data the SQLite script loads.
enum NDJSONExport {
    /// The NDJSON size of `calls` in bytes, writing the lines to `path` when given.
    static func export(_ calls: [Call], to path: String?) throws -> Int {
        var handle: FileHandle?
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
            handle = FileHandle(forWritingAtPath: path)
        }
        var total = 0
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 22)
        for call in calls {
            var writer = JSONWriter()
            CallJSON.write(call, includeTranscript: true, into: &writer)
            buffer += writer.bytes
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 22 {
                total += buffer.count
                try handle?.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        total += buffer.count
        try handle?.write(contentsOf: buffer)
        try handle?.close()
        return total
    }
}
