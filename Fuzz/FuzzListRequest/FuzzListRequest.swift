import FuzzSupport
@testable import CallCore

/// The list request, differentially: the fast decoder that reads a body straight from its bytes
/// (`ListRequestBytes`) may give a body up, but whatever it accepts must decode through the JSON tree
/// (`ListRequestDecoder`) to exactly the same query; and the public entry, which tries the fast path first,
/// must answer every body exactly as the tree does: the same query, or the same error (status, code and the
/// message that names the field).
///
/// Input: the request body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = FuzzDriver.bytes(data, size)
    let fast = ListRequestBytes.decode(body)
    let served = Result { () throws(APIError) in try ListRequestDecoder.decode(body) }
    guard !body.isEmpty else {
        // Zero bytes are all defaults, without either decoder.
        fuzzRequire(served == .success(ListQuery()), "empty body gives \(served)")
        return 0
    }
    let tree = Result { () throws(APIError) in try ListRequestDecoder.decodeThroughTree(body) }
    if let fast {
        fuzzRequire(tree == .success(fast), "bytes decoder gives \(fast), tree gives \(tree)")
    }
    fuzzRequire(served == tree, "served \(served), tree gives \(tree)")
    return 0
}

@main
enum FuzzListRequest {
    static func main() {
        FuzzDriver.run(fuzz)
    }
}
