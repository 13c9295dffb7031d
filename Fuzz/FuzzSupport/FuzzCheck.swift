#if canImport(Glibc)
import Glibc
#endif

/// Stops the run when an invariant fails: the message goes to standard error and `abort()` makes libFuzzer
/// save the input as a crash, in every build (a `precondition` would not trap in an optimized one).
public func fuzzRequire(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    guard !condition else { return }
    var report = "fuzz invariant failed at \(file):\(line): \(message())\n"
    report.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    abort()
}
