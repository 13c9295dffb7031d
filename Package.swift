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
        .target(name: "HTTPKit", dependencies: ["CEpoll"], swiftSettings: strict),
        .target(name: "CallCore", dependencies: ["CEpoll"], swiftSettings: strict),
        .executableTarget(name: "CallServer", dependencies: ["HTTPKit", "CallCore"], swiftSettings: strict),
        // Release-mode benchmark of the query engine: `swift run -c release CallBench [N]`.
        .executableTarget(name: "CallBench", dependencies: ["CallCore"], path: "Benchmarks/CallBench", swiftSettings: strict),
        .testTarget(name: "HTTPKitTests", dependencies: ["HTTPKit"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "CallCoreTests", dependencies: ["CallCore"], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["CallServer", "CallCore"], resources: [.copy("Fixtures")], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
