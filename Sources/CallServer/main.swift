import CallCore
import Foundation
import HTTPKit
import Synchronization

// Everything this process creates (keys file, data directory, journal, snapshots) holds secrets or call data:
// private by default, in addition to the explicit modes where files are made.
umask(0o077)

let arguments = Array(CommandLine.arguments.dropFirst())
let environment = ProcessInfo.processInfo.environment

if arguments.first == "keys" {
    exit(KeysCommand.run(Array(arguments.dropFirst()), environment: environment))
}
if arguments.first == "salvage" {
    exit(SalvageCommand.run(Array(arguments.dropFirst()), environment: environment))
}
if arguments.contains("--help") || arguments.contains("-h") {
    print(ServeOptions.usage)
    exit(0)
}

do {
    let options = try ServeOptions.parse(arguments, environment: environment)
    jsonLogLines.store(options.logFormat == .json, ordering: .relaxed)
    try ServerApp(options: options).run()
    exit(0)
} catch {
    logLine("CallServer: \(error)", level: "error")
    exit(1)
}
