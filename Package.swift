// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

var package = Package(
    name: "CallServer",
    products: [
        .executable(name: "CallServer", targets: ["CallServer"]),
        .executable(name: "CallBench", targets: ["CallBench"]),
    ],
    targets: [
        // The Linux system calls and headers Glibc's module map leaves out (epoll, eventfd, accept4, sched_getaffinity, gettid).
        .target(name: "CSystem"),
        // The one lock type every other module uses (`Locked`): a pthread mutex ThreadSanitizer can see.
        .target(name: "Locking", swiftSettings: strict),
        .target(name: "HTTPKit", dependencies: ["CSystem", "Locking"], swiftSettings: strict),
        .target(name: "CallCore", dependencies: ["CSystem", "Locking"], swiftSettings: strict),
        .executableTarget(name: "CallServer", dependencies: ["HTTPKit", "CallCore", "Locking"], swiftSettings: strict),
        // Release-mode benchmark of the query engine: `swift run -c release CallBench [N]`.
        .executableTarget(name: "CallBench", dependencies: ["CallCore"], path: "Benchmarks/CallBench", swiftSettings: strict),
        .testTarget(name: "HTTPKitTests", dependencies: ["HTTPKit", "Locking"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "CallCoreTests", dependencies: ["CallCore", "Locking"], swiftSettings: strict),
        // CallServer's own types without a server or a socket: options, keys, routes, MCP messages, list plans.
        .testTarget(name: "CallServerTests", dependencies: ["CallServer", "HTTPKit", "CallCore", "Locking"], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["CallServer", "HTTPKit", "CallCore", "Locking"], resources: [.copy("Fixtures")], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (`Fuzz/<Name>/`), declared only for `scripts/fuzz.sh`, which names them in CALLSERVER_FUZZ_TARGETS
// and adds `-sanitize=fuzzer,address`: plain, release and test builds neither build nor wait for them, and they may
// use `@testable import` (debug builds only).
let fuzzTargets = (Context.environment["CALLSERVER_FUZZ_TARGETS"] ?? "").split(separator: " ").map(String.init)
if !fuzzTargets.isEmpty {
    package.targets += [
        // Declares libFuzzer's `LLVMFuzzerRunDriver`, which the targets' `main` calls.
        .target(name: "CFuzzer", path: "Fuzz/CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer", "HTTPKit"], path: "Fuzz/FuzzSupport", swiftSettings: strict),
    ]
    for name in fuzzTargets {
        package.targets.append(.executableTarget(
            name: name, dependencies: ["FuzzSupport", "HTTPKit", "CallCore"], path: "Fuzz/\(name)", swiftSettings: strict))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
