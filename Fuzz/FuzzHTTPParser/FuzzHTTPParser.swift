import FuzzSupport
import HTTPKit

/// The request parser on hostile bytes: fed whole, one byte at a time and in reads whose sizes the input's
/// first bytes choose, it must keep its contract and frame the bytes identically every way (same heads, same
/// bodies, same error or the same acceptance); AddressSanitizer checks it never reads past what it was given.
///
/// Input: a control byte (bit 0: tight limits; bit 1: a small body limit set after each head, as the server
/// does after routing), the read sizes (`FuzzInput.readSizes`), then the request bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(FuzzDriver.bytes(data, size))
    let control = input.byte()
    let sizes = input.readSizes()
    let request = Array(input.rest)
    var limits = HTTPLimits()
    if control & 1 != 0 {
        // Small enough that the fuzzer reaches every limit with short inputs.
        limits.maxRequestTargetBytes = 24
        limits.maxHeaderSectionBytes = 64
        limits.maxHeaderFields = 3
        limits.maxChunkLineBytes = 8
        limits.maxMethodBytes = 6
        limits.maxLeadingEmptyLines = 2
        limits.maxBodyBytes = 16
    }
    let feeder = ParserFeeder(limits: limits, maxBodyBytes: control & 2 != 0 ? 8 : nil)
    _ = feeder.agreedOutcome(of: request, sizes: sizes)
    return 0
}

@main
enum FuzzHTTPParser {
    static func main() {
        FuzzDriver.run(fuzz)
    }
}
