import CallCore
import Foundation
import HTTPKit

/// Writes one line to stderr, unbuffered (startup and shutdown messages).
func logLine(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
let environment = ProcessInfo.processInfo.environment

if arguments.first == "keys" {
    exit(KeysCommand.run(Array(arguments.dropFirst()), environment: environment))
}
if arguments.contains("--help") || arguments.contains("-h") {
    print(ServeOptions.usage)
    exit(0)
}

do {
    let options = try ServeOptions.parse(arguments, environment: environment)
    try ServerApp(options: options).run()
    exit(0)
} catch {
    logLine("CallServer: \(error)")
    exit(1)
}
