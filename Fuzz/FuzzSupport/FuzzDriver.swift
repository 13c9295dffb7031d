import CFuzzer

#if canImport(Glibc)
import Glibc
#endif

/// Starts libFuzzer from a target's `main`: SwiftPM gives every executable a `main` of its own, so libFuzzer's
/// cannot be used, and its documented driver entry is called instead with the same command line.
public enum FuzzDriver {
    /// The signature libFuzzer calls a target with (`LLVMFuzzerTestOneInput`).
    public typealias Target = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Runs libFuzzer on `target` with this process's arguments (corpus folders, `-max_total_time=…`, a crash
    /// file to reproduce) and exits with its status.
    public static func run(_ target: Target) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, target))
    }

    /// The input libFuzzer handed over, as a raw buffer (an empty input may come with a null pointer).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
        guard let data, size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: data, count: size)
    }
}
