#if canImport(Glibc)
import Glibc
#endif

/// `CallServer salvage`: recovers a data directory that refused to start because of damage. It starts from the
/// newest snapshot that loads (the current one, else the previous one kept for this, else nothing), applies every
/// intact journal record after it, read past damage, and writes the result as a new snapshot with a new changes
/// history. The files it replaces are kept, never deleted: they are linked into `salvaged-<time>/` first.
public enum StoreSalvage {
    /// What a salvage did, for the person who ran it.
    public struct Report: Sendable {
        /// One line per finding and step, naming files.
        public var lines: [String] = []
        /// Journal records applied on top of the snapshot it started from.
        public var keptRecords = 0
        /// Records known to be lost (damaged, or in no file); see `lines` for where.
        public var lostRecords = 0
        /// Calls in the salvaged store.
        public var calls = 0
        /// Where the replaced files are kept.
        public var keptFilesDirectory = ""
    }

    /// Salvages the data directory at `path` (the server must be stopped: the directory's lock is taken);
    /// `now` (milliseconds) stamps calls written before `updated_timestamp` existed.
    public static func run(path: String, now: Int64, maximumRecordLength: Int = 512 << 20) throws -> Report {
        let directory = try DataDirectory(path: path)
        defer { directory.close() }
        var report = Report()
        let base = loadBase(directory, now: now, report: &report)
        let reading = try JournalSalvage.read(
            directory: directory, from: base.sequence, maximumRecordLength: maximumRecordLength)
        report.lines += reading.findings
        report.lostRecords += reading.lost
        var mutations: [CallMutation] = []
        for record in reading.records {
            do {
                if case .mutations(let batch) = try MutationRecord.decodeEntry(record, legacyUpdatedTimestamp: now) {
                    mutations += batch
                }
                report.keptRecords += 1
            } catch {
                report.lostRecords += 1
                report.lines.append("a journal record passed its checksum but does not decode (\(error)): lost")
            }
        }
        let store = mutations.isEmpty ? base.store : base.store.applying(mutations)
        report.calls = store.count
        // Sequences after damage are not trustworthy, so tokens of the old history must not continue.
        let changes = ChangeLog.seeded(from: store)
        let sequence = max(reading.nextSequence, base.sequence)
        let kept = try keepOriginals(directory, segments: reading.segmentPaths, now: now)
        report.keptFilesDirectory = kept
        try JournalSnapshotFile.write(in: directory, sequence: sequence, faults: JournalFaults()) { writer throws(JournalError) in
            try StoreSnapshot.write(store, changes: changes, to: writer)
        }
        // The new snapshot is durable; the files it replaces stay under `kept`.
        for file in [directory.file(JournalSnapshotFile.previousName)] + reading.segmentPaths {
            _ = try? JournalPOSIX.unlink(file)
        }
        try directory.sync()
        report.lines.append(
            "wrote a new snapshot of \(store.count) call(s) (record \(sequence)); the changes feed starts a new"
                + " history (tokens issued before get 410)")
        report.lines.append("the replaced files are kept in \(kept)")
        return report
    }

    /// The snapshot to start from: the current one if it loads (index damage is rebuilt), else the previous one,
    /// else an empty store at record 0.
    private static func loadBase(
        _ directory: DataDirectory, now: Int64, report: inout Report
    ) -> (store: IndexedCallStore, sequence: UInt64) {
        var damagedSnapshot = false
        for name in [JournalSnapshotFile.name, JournalSnapshotFile.previousName] {
            do {
                guard let location = try JournalSnapshotFile.locate(in: directory, name: name) else { continue }
                let loaded = try StoreSnapshot.loadWithChanges(location, legacyUpdatedTimestamp: now)
                report.lines += loaded.repairs
                report.lines.append("starting from \(location.path) (\(loaded.store.count) calls, record \(location.sequence))")
                return (loaded.store, location.sequence)
            } catch {
                damagedSnapshot = true
                report.lines.append("\(directory.file(name)) is damaged: \(error)")
            }
        }
        if damagedSnapshot {
            report.lines.append("starting from an empty store: the journal from record 0, where it still exists")
        }
        return (IndexedCallStore(partitions: [:], options: IndexedCallStore.Options()), 0)
    }

    /// Links the snapshots and `segments` into a new `salvaged-<now>` folder inside the directory; returns its path.
    private static func keepOriginals(
        _ directory: DataDirectory, segments: [String], now: Int64
    ) throws(JournalPOSIXFailure) -> String {
        let folder = directory.file("salvaged-\(now)")
        try JournalPOSIX.makeDirectories(folder)
        let snapshots = [JournalSnapshotFile.name, JournalSnapshotFile.previousName].map(directory.file)
        for file in snapshots + segments where access(file, F_OK) == 0 {
            try JournalPOSIX.link(file, to: folder + "/" + String(file.split(separator: "/").last ?? ""))
        }
        try JournalPOSIX.syncDirectory(folder)
        try directory.sync()
        return folder
    }
}
