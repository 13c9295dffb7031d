import CallCore
import Foundation

/// `CallServer salvage --data-dir DIR`: recovers a data directory that refused to start because of damage, keeping
/// every intact record and the files it replaces, and reports what was lost.
enum SalvageCommand {
    /// Runs the subcommand; returns the process exit code (0 when nothing was lost, 3 when something was, 1 when
    /// the salvage itself failed and nothing was changed).
    static func run(_ arguments: [String], environment: [String: String]) -> Int32 {
        var dataDir = environment["CALLSERVER_DATA_DIR"] ?? "data"
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--data-dir" where index + 1 < arguments.count:
                dataDir = arguments[index + 1]
                index += 2
            default:
                FileHandle.standardError.write(Data("usage: CallServer salvage --data-dir DIR\n".utf8))
                return 2
            }
        }
        guard FileManager.default.fileExists(atPath: dataDir) else {
            FileHandle.standardError.write(Data("salvage: \(dataDir) does not exist\n".utf8))
            return 1
        }
        do {
            let report = try StoreSalvage.run(path: dataDir, now: ServerClock.system.milliseconds())
            for line in report.lines { print("salvage: \(line)") }
            print(
                "salvage: kept \(report.keptRecords) journal record(s); lost \(report.lostRecords); the store holds"
                    + " \(report.calls) call(s)")
            return report.lostRecords == 0 ? 0 : 3
        } catch {
            FileHandle.standardError.write(Data("salvage failed, nothing was replaced: \(error)\n".utf8))
            return 1
        }
    }
}
