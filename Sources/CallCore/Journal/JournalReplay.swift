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
        /// Write descriptor of the last segment.
        var descriptor: Int32
    }

    /// Replays the journal in `directory`.
    static func run(
        directory: DataDirectory, maximumRecordLength: Int, readsSnapshotPayload: Bool = true
    ) throws(JournalError) -> Outcome {
        var diagnostics: [String] = []
        do {
            let leftover = directory.file(JournalSnapshotFile.temporaryName)
            if try JournalPOSIX.unlink(leftover) {
                diagnostics.append("removed \(leftover), the unfinished snapshot of an interrupted compaction")
            }
        } catch {
            throw JournalError(error)
        }

        let location = try JournalSnapshotFile.locate(in: directory)
        let payload = readsSnapshotPayload ? try location?.readPayload() : nil
        let snapshotSequence = location?.sequence ?? 0
        var segments = try listSegments(in: directory)
        var stale: [JournalSegmentInfo] = []
        // A segment whose successor starts at or below the snapshot holds only records the snapshot covers:
        // compaction was interrupted before deleting it.
        while segments.count >= 2 && segments[1].start <= snapshotSequence {
            stale.append(segments.removeFirst())
        }

        var records: [[UInt8]] = []
        var next = snapshotSequence
        var droppedTailBytes = 0
        var descriptor: Int32 = -1
        var lastEnd: UInt64 = 0
        for index in segments.indices {
            let segment = segments[index]
            let isLast = index == segments.count - 1
            guard segment.start <= next else {
                throw JournalError.corrupt(
                    "records \(next)..<\(segment.start) are missing: \(segment.path) starts at \(segment.start), but the"
                        + " snapshot and earlier segments end at \(next); refusing to start rather than lose them")
            }
            let scan = try scanSegment(segment, maximumRecordLength: maximumRecordLength)
            let end = segment.start + UInt64(scan.records.count)
            if let problem = scan.problem {
                // Only the newest segment can be torn by a crash: older ones were complete and synced before the
                // next one was started, so damage there means acknowledged records are unreadable.
                guard isLast else {
                    throw JournalError.corrupt(
                        "\(segment.path): \(problem); it is not the newest segment, so the records after the damage"
                            + " were acknowledged; refusing to start rather than drop them silently")
                }
                droppedTailBytes = scan.fileLength - scan.validLength
                diagnostics.append(
                    "dropped the last \(droppedTailBytes) byte(s) of \(segment.path) (a write the crash interrupted,"
                        + " never acknowledged): \(problem)")
            }
            if !isLast && end != segments[index + 1].start {
                throw JournalError.corrupt(
                    "\(segment.path) holds records up to \(end), but the next segment starts at"
                        + " \(segments[index + 1].start); refusing to start")
            }
            if end > next {
                records.append(contentsOf: scan.records[Int(next - segment.start)...])
                next = end
            }
            segments[index].byteSize = scan.validLength
            if isLast {
                lastEnd = end
                descriptor = try openForAppend(segment, truncatingTo: scan.problem == nil ? nil : scan.validLength)
            }
        }

        // No segment to continue, or the newest one ends before the snapshot (its tail was lost but the snapshot
        // holds those records): start a fresh segment at the snapshot's sequence so numbering stays contiguous.
        if segments.isEmpty || lastEnd < snapshotSequence {
            if descriptor >= 0 { JournalPOSIX.close(descriptor) }
            stale.append(contentsOf: segments)
            let fresh = JournalSegmentInfo(
                start: next, path: directory.file(JournalSegmentName.name(start: next)), byteSize: 0)
            descriptor = try createSegment(fresh, in: directory)
            segments = [fresh]
        }

        if !stale.isEmpty {
            // Best effort: a covered segment that stays behind is harmless and is removed by the next replay.
            var removed = 0
            for segment in stale where (try? JournalPOSIX.unlink(segment.path)) != nil { removed += 1 }
            try? directory.sync()
            diagnostics.append("removed \(removed) of \(stale.count) segment(s) the snapshot already covers")
        }

        let recovery = Journal.Recovery(
            snapshot: payload, snapshotLocation: location, snapshotSequence: snapshotSequence, records: records,
            droppedTailBytes: droppedTailBytes, diagnostics: diagnostics)
        return Outcome(recovery: recovery, segments: segments, descriptor: descriptor)
    }

    /// Segment files in the directory, oldest first.
    private static func listSegments(in directory: DataDirectory) throws(JournalError) -> [JournalSegmentInfo] {
        let names: [String]
        do {
            names = try JournalPOSIX.listDirectory(directory.path)
        } catch {
            throw JournalError(error)
        }
        return names.compactMap { name in
            JournalSegmentName.start(of: name).map {
                JournalSegmentInfo(start: $0, path: directory.file(name), byteSize: 0)
            }
        }.sorted { $0.start < $1.start }
    }

    /// A segment's intact records and its length on disk.
    private struct SegmentScan {
        var records: [[UInt8]]
        var validLength: Int
        var fileLength: Int
        var problem: String?
    }

    /// Reads and scans one segment file.
    private static func scanSegment(
        _ segment: JournalSegmentInfo, maximumRecordLength: Int
    ) throws(JournalError) -> SegmentScan {
        let bytes: [UInt8]
        do {
            bytes = try JournalPOSIX.readFile(segment.path) ?? []
        } catch {
            throw JournalError(error)
        }
        let scan = bytes.withUnsafeBytes { JournalFrame.scan($0, maximumLength: maximumRecordLength) }
        return SegmentScan(
            records: scan.records, validLength: scan.validLength, fileLength: bytes.count, problem: scan.problem)
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
