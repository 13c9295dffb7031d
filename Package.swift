// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "CallServer",
    products: [
        .executable(name: "CallServer", targets: ["CallServer"]),
        .executable(name: "CallBench", targets: ["CallBench"]),
    ],
    targets: [
        // Only includes Linux system headers that Glibc's module map leaves out (epoll, eventfd).
        .target(name: "CEpoll"),
        // The one lock type every other module uses (`Locked`): a pthread mutex ThreadSanitizer can see.
        .target(name: "Locking", swiftSettings: strict),
        .target(name: "HTTPKit", dependencies: ["CEpoll", "Locking"], swiftSettings: strict),
        .target(name: "CallCore", dependencies: ["CEpoll", "Locking"], swiftSettings: strict),
        .executableTarget(name: "CallServer", dependencies: ["HTTPKit", "CallCore", "Locking"], swiftSettings: strict),
        // Release-mode benchmark of the query engine: `swift run -c release CallBench [N]`.
        .executableTarget(name: "CallBench", dependencies: ["CallCore"], path: "Benchmarks/CallBench", swiftSettings: strict),
        .testTarget(name: "HTTPKitTests", dependencies: ["HTTPKit", "Locking"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "CallCoreTests", dependencies: ["CallCore", "Locking"], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["CallServer", "CallCore", "Locking"], resources: [.copy("Fixtures")], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
