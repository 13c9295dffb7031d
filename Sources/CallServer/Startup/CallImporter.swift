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

    /// Decodes NDJSON lines from memory; `source` names them in errors. Lines are decoded on all
    /// cores, since a million records must load in seconds.
    static func decode(_ bytes: UnsafeRawBufferPointer, source: String) throws(Failure) -> [Call] {
        var ranges: [Range<Int>] = []
        var start = 0
        for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "\n") {
            ranges.append(start..<index)
            start = index + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }

        let lines = ranges
        let input = ParallelInput(bytes)
        let results = Parallel.map(lines.count) { index -> Result<Call, APIError>? in
            let line = UnsafeRawBufferPointer(rebasing: input.raw[lines[index]])
            guard !isBlank(line) else { return nil }
            return Result { () throws(APIError) in try CallRecordDecoder.decodeImportLine(line) }
        }

        var calls: [Call] = []
        calls.reserveCapacity(ranges.count)
        var seenCallIDs = Set<String>()
        var seenIDs = Set<String>()
        for (index, result) in results.enumerated() {
            switch result {
            case nil:
                continue
            case .failure(let error):
                throw Failure(description: "\(source) line \(index + 1): \(error.message)")
            case .success(let call):
                guard seenCallIDs.insert(call.organizationID + "\u{0}" + call.callID).inserted else {
                    throw Failure(description: "\(source) line \(index + 1): call_id \(call.callID) appears twice in organization \(call.organizationID)")
                }
                guard seenIDs.insert(call.id).inserted else {
                    throw Failure(description: "\(source) line \(index + 1): id \(call.id) appears twice")
                }
                calls.append(call)
            }
        }
        return calls
    }

    private static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }
}
