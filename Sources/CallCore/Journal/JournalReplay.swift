#if canImport(Glibc)
import Glibc
#endif

/// Startup replay: reads the snapshot and every segment after it, repairs a torn tail, and leaves the newest
/// segment open for appending. Everything here runs before the writer thread exists.
enum JournalReplay {
    /// What replay hands to the journal.
    struct Outcome {
        var recovery: Journal.Recovery
        /// Live segments, oldest first; the last one is open for appending.
        var segments: [JournalSegmentInfo]
        /// Segments below the snapshot, kept unread for the previous one until the next compaction.
        var retained: [JournalSegmentInfo]
        /// Write descriptor of the last segment.
        var descriptor: Int32
    }

    /// Replays the journal in `directory`. Damage is refused before anything on disk is changed.
    static func run(
        directory: DataDirectory, maximumRecordLength: Int, readsSnapshotPayload: Bool = true
    ) throws(JournalError) -> Outcome {
        var diagnostics: [String] = []
        let location: JournalSnapshotLocation?
        do {
            location = try JournalSnapshotFile.locate(in: directory)
        } catch {
            throw JournalError.corrupt("\(error.detail); \(refusal(directory))")
        }
        let payload = readsSnapshotPayload ? try location?.readPayload() : nil
        let snapshotSequence = location?.sequence ?? 0
        let layout = JournalSegmentLayout(
            segments: try listSegments(in: directory), snapshotSequence: snapshotSequence,
            previousSnapshotSequence: try? JournalSnapshotFile.locate(in: directory, name: JournalSnapshotFile.previousName)?.sequence)
        var segments = layout.replayed

        var records: [[UInt8]] = []
        var next = snapshotSequence
        var torn: (validLength: Int, droppedBytes: Int)?
        var lastEnd: UInt64 = 0
        for index in segments.indices {
            let segment = segments[index]
            let isLast = index == segments.count - 1
            guard segment.start <= next else {
                throw JournalError.corrupt(
                    "records \(next)..<\(segment.start) are missing: \(segment.path) starts at \(segment.start), but the"
                        + " snapshot and earlier segments end at \(next); \(refusal(directory))")
            }
            let scan = try scanSegment(segment, maximumRecordLength: maximumRecordLength)
            let end = segment.start + UInt64(scan.records.count)
            if let problem = scan.problem {
                // Only the newest segment can be torn by a crash, and only in its last group: older segments were
                // complete and synced before the next one was started.
                guard isLast && scan.followingRecords == 0 else {
                    let following = scan.followingRecords > 0
                        ? "\(scan.followingRecords) intact record(s) follow it"
                        : "it is not the newest segment, so every record in it was acknowledged"
                    throw JournalError.corrupt(
                        "\(segment.path): \(problem); \(following), so this is damage, not a torn write; "
                            + refusal(directory))
                }
                diagnostics.append(
                    "dropped the last \(scan.fileLength - scan.validLength) byte(s) of \(segment.path) from offset"
                        + " \(scan.validLength): \(problem). A write a crash interrupted (never acknowledged) looks like"
                        + " this; so does damage to the last acknowledged write, which cannot be told apart from it")
                torn = (scan.validLength, scan.fileLength - scan.validLength)
            }
            if !isLast && end != segments[index + 1].start {
                throw JournalError.corrupt(
                    "\(segment.path) holds records up to \(end), but the next segment starts at"
                        + " \(segments[index + 1].start); \(refusal(directory))")
            }
            if end > next {
                records.append(contentsOf: scan.records[Int(next - segment.start)...])
                next = end
            }
            segments[index].byteSize = scan.validLength
            if isLast { lastEnd = end }
        }

        // Everything is read and nothing refused: from here on replay tidies up.
        for name in [JournalSnapshotFile.temporaryName, JournalSnapshotFile.previousTemporaryName] {
            let leftover = directory.file(name)
            do {
                if try JournalPOSIX.unlink(leftover) {
                    diagnostics.append("removed \(leftover), left over from an interrupted compaction")
                }
            } catch {
                throw JournalError(error)
            }
        }
        var descriptor: Int32 = -1
        var stale = layout.covered
        var retained = layout.retained
        if let last = segments.last, last.salt != nil, lastEnd >= snapshotSequence {
            descriptor = try openForAppend(last, truncatingTo: torn?.validLength)
        } else {
            if let torn {
                // A torn segment of the first format is cut back, but never appended to.
                try cutBack(segments[segments.count - 1], to: torn.validLength)
            }
            if lastEnd < snapshotSequence {
                // The newest segment ends before the snapshot (its tail was lost, but the snapshot holds those
                // records): everything replayed is below the snapshot.
                retained.append(contentsOf: segments)
                segments.removeAll()
            } else if let last = segments.last, last.byteSize == 0 {
                stale.append(segments.removeLast())
            }
            // No segment of the current format to continue: start a fresh one at the next sequence, so numbering
            // stays contiguous.
            let fresh = JournalSegmentInfo.fresh(start: next, in: directory)
            descriptor = try createSegment(fresh, in: directory)
            segments.append(fresh)
        }

        if !stale.isEmpty {
            // Best effort: a covered segment that stays behind is harmless and is removed by the next replay.
            var removed = 0
            for segment in stale where (try? JournalPOSIX.unlink(segment.path)) != nil { removed += 1 }
            try? directory.sync()
            diagnostics.append("removed \(removed) of \(stale.count) segment(s) no snapshot needs")
        }

        let recovery = Journal.Recovery(
            snapshot: payload, snapshotLocation: location, snapshotSequence: snapshotSequence, records: records,
            droppedTailBytes: torn?.droppedBytes ?? 0, diagnostics: diagnostics)
        return Outcome(recovery: recovery, segments: segments, retained: retained, descriptor: descriptor)
    }

    /// The end of a refusal: what was left alone and what to run.
    private static func refusal(_ directory: DataDirectory) -> String {
        "refusing to start; nothing was changed. `CallServer salvage --data-dir \(directory.path)` keeps every intact"
            + " record, moves the damaged file aside and reports what was lost"
    }

    /// Segment files in the directory, oldest first (of two with one start, the first format's first).
    static func listSegments(in directory: DataDirectory) throws(JournalError) -> [JournalSegmentInfo] {
        let names: [String]
        do {
            names = try JournalPOSIX.listDirectory(directory.path)
        } catch {
            throw JournalError(error)
        }
        return names.compactMap { name in
            JournalSegmentName.parse(name).map {
                JournalSegmentInfo(start: $0.start, path: directory.file(name), byteSize: 0, salt: $0.salt.map(JournalSalt.init))
            }
        }.sorted { ($0.start, $0.salt == nil ? 0 : 1) < ($1.start, $1.salt == nil ? 0 : 1) }
    }

    /// A segment's intact records and its length on disk.
    private struct SegmentScan {
        var records: [[UInt8]]
        var validLength: Int
        var fileLength: Int
        var problem: String?
        /// Intact records after the problem (damage when not zero).
        var followingRecords = 0
    }

    /// Reads and scans one segment file, in its format.
    private static func scanSegment(
        _ segment: JournalSegmentInfo, maximumRecordLength: Int
    ) throws(JournalError) -> SegmentScan {
        let bytes: [UInt8]
        do {
            bytes = try JournalPOSIX.readFile(segment.path) ?? []
        } catch {
            throw JournalError(error)
        }
        guard let salt = segment.salt else {
            let scan = bytes.withUnsafeBytes { LegacyJournalFrame.scan($0, maximumLength: maximumRecordLength) }
            return SegmentScan(
                records: scan.records, validLength: scan.validLength, fileLength: bytes.count, problem: scan.problem)
        }
        let scan = bytes.withUnsafeBytes {
            JournalGroupScan.scan($0, start: segment.start, salt: salt, maximumLength: maximumRecordLength)
        }
        return SegmentScan(
            records: scan.records, validLength: scan.validLength, fileLength: bytes.count,
            problem: scan.stop.map { stop in
                stop.followingOffset.map { "\(stop.message) (the next intact group is at offset \($0))" } ?? stop.message
            },
            followingRecords: scan.stop?.followingRecords ?? 0)
    }

    /// Opens the newest segment for writing and, after a torn tail, cuts it back to its last intact record and
    /// syncs that, so the next append starts on a clean boundary and the torn bytes can never be replayed later.
    private static func openForAppend(
        _ segment: JournalSegmentInfo, truncatingTo length: Int?
    ) throws(JournalError) -> Int32 {
        let descriptor: Int32
        do {
            descriptor = try JournalPOSIX.open(segment.path, flags: O_WRONLY)
        } catch {
            throw JournalError(error)
        }
        guard let length else { return descriptor }
        do {
            try JournalPOSIX.truncate(descriptor, to: length, path: segment.path)
            try JournalPOSIX.dataSync(descriptor, path: segment.path)
        } catch {
            JournalPOSIX.close(descriptor)
            throw JournalError(error)
        }
        return descriptor
    }

    /// Cuts a segment back to its intact length and syncs that, without keeping it open.
    private static func cutBack(_ segment: JournalSegmentInfo, to length: Int) throws(JournalError) {
        let descriptor = try openForAppend(segment, truncatingTo: length)
        JournalPOSIX.close(descriptor)
    }

    /// Creates an empty segment and makes its directory entry durable.
    static func createSegment(_ segment: JournalSegmentInfo, in directory: DataDirectory) throws(JournalError) -> Int32 {
        let descriptor: Int32
        do {
            descriptor = try JournalPOSIX.open(segment.path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: JournalPOSIX.privateFileMode)
        } catch {
            throw JournalError(error)
        }
        do {
            try directory.sync()
        } catch {
            JournalPOSIX.close(descriptor)
            _ = try? JournalPOSIX.unlink(segment.path)
            throw JournalError(error)
        }
        return descriptor
    }
}
