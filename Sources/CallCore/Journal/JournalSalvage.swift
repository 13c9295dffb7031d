
/// Reads a journal the way `salvage` needs it: without refusing damage, keeping every intact record before and
/// after it, and counting what the group headers say is missing.
enum JournalSalvage {
    /// Every intact record numbered `sequence` or later in the segments of `directory`.
    static func read(
        directory: DataDirectory, from sequence: UInt64, maximumRecordLength: Int
    ) throws(JournalError) -> JournalSalvageReading {
        var reading = JournalSalvageReading()
        let segments = try JournalReplay.listSegments(in: directory)
        reading.segmentPaths = segments.map(\.path)
        reading.nextSequence = sequence
        var expected = sequence
        for (index, segment) in segments.enumerated() {
            if index + 1 < segments.count && segments[index + 1].start <= sequence { continue }
            let bytes: [UInt8]
            do {
                bytes = try JournalPOSIX.readFile(segment.path) ?? []
            } catch {
                throw JournalError(error)
            }
            if segment.start > expected {
                reading.lost += Int(clamping: segment.start - expected)
                reading.findings.append("records \(expected)..<\(segment.start) are in no segment: lost")
            }
            var found: [(sequence: UInt64, payload: [UInt8])] = []
            if let salt = segment.salt {
                let salvage = bytes.withUnsafeBytes { raw in
                    let walk = JournalGroupSalvage.walk(
                        raw, start: segment.start, salt: salt, maximumLength: maximumRecordLength)
                    found = walk.records.map { ($0.sequence, Array(UnsafeRawBufferPointer(rebasing: raw[$0.payload]))) }
                    return walk
                }
                reading.lost += salvage.lost
                reading.findings += salvage.damage.map { "\(segment.path): \($0)" }
            } else {
                let salvage = bytes.withUnsafeBytes { LegacyJournalFrame.salvage($0, maximumLength: maximumRecordLength) }
                found = salvage.records.enumerated().map { (segment.start + UInt64($0.offset), $0.element) }
                reading.findings += salvage.skipped.map { "\(segment.path): skipped damage at \($0)" }
            }
            for record in found where record.sequence >= sequence { reading.records.append(record.payload) }
            let end = (found.last.map { $0.sequence + 1 } ?? segment.start)
            expected = max(expected, end)
            reading.nextSequence = max(reading.nextSequence, end)
        }
        return reading
    }
}
