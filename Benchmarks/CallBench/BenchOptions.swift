/// Command line of CallBench: `CallBench [N] [--ndjson FILE] [--json FILE] [--runs R] [--writes W] [--no-verify] [--loop-bound] [--encode]`.
struct BenchOptions {
    var count = 1_000_000
    var ndjsonPath: String?
    var jsonPath: String?
    var runs = 200
    var writes = 2_000
    var verify = true
    var loopBound = false
    var encodeOnly = false

    static let usage = """
        usage: CallBench [N] [--ndjson FILE] [--json FILE] [--runs R] [--writes W] [--no-verify] [--loop-bound] [--encode]
          N            calls to generate (default 1000000)
          --ndjson     also write the calls as NDJSON (for scripts/bench-sqlite.py)
          --json       write per-query results as JSON (read by scripts/bench-sqlite.py)
          --runs       timed runs per query (default 200)
          --writes     single-call write batches applied before the second pass (default 2000; 0 skips it)
          --no-verify  skip the comparison with the reference engine
          --loop-bound time hostile list bodies at 100,000 calls with a 30,000-write delta instead (N is ignored)
          --encode     time only the rendering of list responses (the JSON writer), on N calls
        """

    /// Parses the arguments after the program name; nil on a malformed command line.
    init?(_ arguments: [String]) {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--ndjson": guard let value = remaining.popFirst() else { return nil }; ndjsonPath = value
            case "--json": guard let value = remaining.popFirst() else { return nil }; jsonPath = value
            case "--runs": guard let value = remaining.popFirst().flatMap({ Int($0) }), value > 0 else { return nil }; runs = value
            case "--writes": guard let value = remaining.popFirst().flatMap({ Int($0) }), value >= 0 else { return nil }; writes = value
            case "--no-verify": verify = false
            case "--loop-bound": loopBound = true
            case "--encode": encodeOnly = true
            default:
                guard let value = Int(argument.replacingOccurrences(of: "_", with: "")), value > 0 else { return nil }
                count = value
            }
        }
    }
}
