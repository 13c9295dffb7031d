import CallCore
import Foundation

/// Loads NDJSON call records (API.md fields plus `organization_id`, optional `id`) for startup.
enum CallImporter {
    /// A line that could not be imported; the message names the file, the 1-based line and the field.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Decodes every non-blank line of `path`.
    static func load(path: String) throws(Failure) -> [Call] {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw Failure(description: "cannot read import file \(path)")
        }
        let outcome = data.withUnsafeBytes { raw -> Result<[Call], Failure> in
            do throws(Failure) {
                return .success(try decode(raw, source: path))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Decodes NDJSON lines from memory; `source` names them in errors. Lines are decoded on all cores, a chunk of
    /// them at a time (a million records must load in seconds), and only the calls are kept: no list of every line.
    static func decode(_ bytes: UnsafeRawBufferPointer, source: String) throws(Failure) -> [Call] {
        guard let base = bytes.baseAddress else { return [] }
        var calls: [Call] = []
        var seenCallIDs = Set<String>()
        var seenIDs = Set<String>()
        var chunk: [(number: Int, range: Range<Int>)] = []
        chunk.reserveCapacity(chunkLines)
        let input = ParallelInput(bytes)

        func decodeChunk() throws(Failure) {
            let lines = chunk
            chunk.removeAll(keepingCapacity: true)
            let results = Parallel.map(lines.count) { index -> Result<Call, APIError> in
                let line = UnsafeRawBufferPointer(rebasing: input.raw[lines[index].range])
                return Result { () throws(APIError) in try CallRecordDecoder.decodeImportLine(line) }
            }
            for (line, result) in zip(lines, results) {
                let call: Call
                switch result {
                case .failure(let error):
                    throw Failure(description: "\(source) line \(line.number): \(error.message)")
                case .success(let decoded):
                    call = decoded
                }
                guard seenCallIDs.insert(call.organizationID + "\u{0}" + call.callID).inserted else {
                    throw Failure(description: "\(source) line \(line.number): call_id \(call.callID) appears twice in organization \(call.organizationID)")
                }
                guard seenIDs.insert(call.id).inserted else {
                    throw Failure(description: "\(source) line \(line.number): id \(call.id) appears twice")
                }
                calls.append(call)
            }
        }

        try NDJSONLines.forEach(in: bytes) { (number, line) throws(Failure) in
            let start = line.baseAddress.map { $0 - base } ?? 0
            chunk.append((number, start..<(start + line.count)))
            if chunk.count == chunkLines { try decodeChunk() }
        }
        try decodeChunk()
        return calls
    }

    /// Lines decoded together on all cores: enough to keep every core busy, few enough to hold little at once.
    private static let chunkLines = 8192
}
