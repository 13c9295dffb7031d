import FuzzSupport
import CallCore

/// The JSON reader on any bytes: a value or an error, the same from a slice that starts later in a larger
/// array, and a value it reads, written back by `JSONWriter`, reads again as the same value and writes again
/// as the same bytes.
///
/// Input: the JSON text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let parsed = Result { () throws(JSONParseError) in try JSONReader.parse(bytes) }
    // Offsets count from the slice's start, so even the error must be the same.
    let padded = [UInt8(ascii: "x")] + Array(bytes)
    let fromSlice = Result { () throws(JSONParseError) in try JSONReader.parse(padded[1...]) }
    fuzzRequire(fromSlice == parsed, "a slice gives \(fromSlice), the buffer \(parsed)")
    guard case .success(let value) = parsed else { return 0 }
    let written = serialized(value)
    let reread = Result { () throws(JSONParseError) in try JSONReader.parse(written) }
    fuzzRequire(reread == .success(value), "\(value) written as \(String(decoding: written, as: UTF8.self)) reads as \(reread)")
    if case .success(let again) = reread {
        let rewritten = serialized(again)
        fuzzRequire(rewritten == written, "writing twice gives \(rewritten), then \(written)")
    }
    return 0
}

private func serialized(_ value: JSONValue) -> [UInt8] {
    var writer = JSONWriter()
    writer.value(value)
    return writer.bytes
}

@main
enum FuzzJSON {
    static func main() {
        FuzzDriver.run(fuzz)
    }
}
