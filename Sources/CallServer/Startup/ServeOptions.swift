import CallCore
import Foundation
import HTTPKit

/// Settings of `CallServer` (serve mode), from flags, then environment variables, then defaults.
struct ServeOptions {
    var host = "127.0.0.1"
    var port = 8080
    var keysFile = "keys.json"
    var importFile: String?
    var demoCount: Int?
    var threads = 0
    var accessLog = true
    /// The request body limit of every route but imports: the HTTP server's, which holds each body to it.
    var maxBodyBytes: Int {
        get { http.limits.maxBodyBytes }
        set { http.limits.maxBodyBytes = newValue }
    }
    var maxImportBytes = 64 << 20
    var dataDir = "data"
    var compactBytes = 64 << 20
    /// How long deletions stay in the changes feed, in milliseconds (30 days unless configured).
    var changesRetention = DurableStore.defaultChangesRetention
    /// Whether `GET /metrics` is served (and requests counted).
    var metrics = true
    /// How log lines on stderr are written.
    var logFormat = LogFormat.text
    /// Limits, timeouts and budgets of the HTTP server (API.md: limits and fairness).
    var http = HTTPServerConfiguration()

    /// A numeric setting of `http`: its flag, environment variable, smallest value and where it goes.
    private struct Tunable: Sendable {
        var flag: String
        var variable: String
        var minimum: Double
        var maximum: Double = 1_099_511_627_776
        var wholeNumber: Bool
        var apply: @Sendable (inout HTTPServerConfiguration, Double) -> Void
    }

    private static let tunables: [Tunable] = [
        Tunable(flag: "--header-timeout", variable: "CALLSERVER_HEADER_TIMEOUT", minimum: 0.1, wholeNumber: false) {
            $0.headerTimeoutSeconds = $1
        },
        Tunable(flag: "--body-timeout", variable: "CALLSERVER_BODY_TIMEOUT", minimum: 0.1, wholeNumber: false) {
            $0.bodyTimeoutSeconds = $1
        },
        Tunable(flag: "--body-rate-grace", variable: "CALLSERVER_BODY_RATE_GRACE", minimum: 0, wholeNumber: false) {
            $0.bodyRateGraceSeconds = $1
        },
        Tunable(flag: "--min-body-rate", variable: "CALLSERVER_MIN_BODY_RATE", minimum: 0, wholeNumber: true) {
            $0.minimumBodyBytesPerSecond = Int($1)
        },
        Tunable(flag: "--idle-timeout", variable: "CALLSERVER_IDLE_TIMEOUT", minimum: 0.1, wholeNumber: false) {
            $0.idleTimeoutSeconds = $1
        },
        Tunable(flag: "--write-timeout", variable: "CALLSERVER_WRITE_TIMEOUT", minimum: 0.1, wholeNumber: false) {
            $0.writeTimeoutSeconds = $1
        },
        Tunable(flag: "--max-connections", variable: "CALLSERVER_MAX_CONNECTIONS", minimum: 1, maximum: 16_777_216, wholeNumber: true) {
            $0.maxConnections = Int($1)
        },
        Tunable(flag: "--fd-reserve", variable: "CALLSERVER_FD_RESERVE", minimum: 0, maximum: 1_048_576, wholeNumber: true) {
            $0.reservedDescriptors = Int($1)
        },
        Tunable(flag: "--body-budget", variable: "CALLSERVER_BODY_BUDGET", minimum: 0, wholeNumber: true) {
            $0.bodyBudgetBytes = Int($1)
        },
        Tunable(flag: "--max-unused-body-bytes", variable: "CALLSERVER_MAX_UNUSED_BODY_BYTES", minimum: 0, wholeNumber: true) {
            $0.maxUnusedBodyBytes = Int($1)
        },
        Tunable(flag: "--output-budget", variable: "CALLSERVER_OUTPUT_BUDGET", minimum: 0, wholeNumber: true) {
            $0.outputBudgetBytes = Int($1)
        },
        Tunable(flag: "--workers", variable: "CALLSERVER_WORKERS", minimum: 0, maximum: 1024, wholeNumber: true) {
            $0.workers = Int($1)
        },
        Tunable(flag: "--slow-queue", variable: "CALLSERVER_SLOW_QUEUE", minimum: 1, wholeNumber: true) {
            $0.slowQueueLimit = Int($1)
        },
        Tunable(flag: "--slow-per-key", variable: "CALLSERVER_SLOW_PER_KEY", minimum: 1, wholeNumber: true) {
            $0.slowWaitingPerKey = Int($1)
        },
    ]
    /// Requests a second per API key (token bucket); nil: no rate limit.
    var rateLimit: Double?
    /// The bucket size; nil: the rate rounded up (at least 1).
    var rateBurst: Int?
    /// Stored calls per organization; nil: no quota.
    var maxCallsPerOrg: Int?
    /// `Origin` values allowed on `/mcp`; a request with any other `Origin` is 403 (none allowed by default).
    var mcpOrigins: [String] = []

    /// The bucket size in force when a rate limit is set.
    var effectiveRateBurst: Int? {
        guard let rateLimit else { return nil }
        return rateBurst ?? max(1, Int(rateLimit.rounded(.up)))
    }

    static let usage = """
        Usage: CallServer [options]
               CallServer keys create --org ORG --scope SCOPE [--scope SCOPE] [--keys FILE]
               CallServer keys list [--keys FILE]
               CallServer keys revoke KEY [--keys FILE]
               CallServer salvage [--data-dir DIR]

        Serves the call API of API.md over HTTP/1.1.

        Options (environment variable in brackets):
          --host ADDR          address to listen on, default 127.0.0.1       [CALLSERVER_HOST]
          --port N             port, default 8080; 0 picks a free one        [CALLSERVER_PORT]
          --keys FILE          API keys file, default ./keys.json            [CALLSERVER_KEYS]
          --import FILE        load calls from an NDJSON file at startup     [CALLSERVER_IMPORT]
          --demo [N]           generate N demo calls (default 10000) in two
                               organizations and print demo credentials
          --threads N          event loop threads, default one per CPU       [CALLSERVER_THREADS]
          --max-body-bytes N   request body limit, default 1048576           [CALLSERVER_MAX_BODY_BYTES]
          --max-import-bytes N import body limit, default 67108864           [CALLSERVER_MAX_IMPORT_BYTES]
          --data-dir DIR       journal and snapshots, default ./data         [CALLSERVER_DATA_DIR]
          --compact-bytes N    compact the journal past N bytes (64 MiB)     [CALLSERVER_COMPACT_BYTES]
          --changes-retention D
                               keep deletions in the changes feed for D:     [CALLSERVER_CHANGES_RETENTION]
                               seconds, or a number with s, m, h or d;
                               default 30d
          --rate-limit R       requests per second per API key, e.g. 10 or   [CALLSERVER_RATE_LIMIT]
                               0.5 (token bucket); default off
          --rate-burst N       requests a key may make at once, default the  [CALLSERVER_RATE_BURST]
                               rate rounded up; needs --rate-limit
          --max-calls-per-org N
                               stored calls per organization; a write past   [CALLSERVER_MAX_CALLS_PER_ORG]
                               it is 507 quota_exceeded; default off
          --mcp-origin ORIGIN  an Origin allowed on /mcp, e.g.               [CALLSERVER_MCP_ORIGIN]
                               https://app.example; repeat it or separate
                               origins with commas; default none (requests
                               without Origin, as MCP clients send, pass)
          --quiet              no per-request log lines on stderr            [CALLSERVER_ACCESS_LOG=off]
          --metrics on|off     serve GET /metrics (Prometheus), default on   [CALLSERVER_METRICS]
          --log-format text|json
                               stderr log lines as text or one JSON object   [CALLSERVER_LOG_FORMAT]
                               per line; default text

        Limits (README: "Limits and fairness"; seconds, bytes or counts):
          --header-timeout S   header section in S seconds (10), else 408    [CALLSERVER_HEADER_TIMEOUT]
          --body-timeout S     at most S seconds between body bytes (30)     [CALLSERVER_BODY_TIMEOUT]
          --min-body-rate N    body bytes/s on average (16384) ...            [CALLSERVER_MIN_BODY_RATE]
          --body-rate-grace S  ... from S seconds after the head on (10)      [CALLSERVER_BODY_RATE_GRACE]
          --idle-timeout S     idle keep-alive connections closed (60)       [CALLSERVER_IDLE_TIMEOUT]
          --write-timeout S    clients not reading for S seconds dropped (60)[CALLSERVER_WRITE_TIMEOUT]
          --max-connections N  open connections (10000, below the fd limit)  [CALLSERVER_MAX_CONNECTIONS]
          --fd-reserve N       descriptors kept from connections (32+4/loop) [CALLSERVER_FD_RESERVE]
          --body-budget N      bytes of bodies in flight (268435456)         [CALLSERVER_BODY_BUDGET]
          --max-unused-body-bytes N  body of GET/HEAD/DELETE/OPTIONS (65536) [CALLSERVER_MAX_UNUSED_BODY_BYTES]
          --output-budget N    unread response bytes (536870912)             [CALLSERVER_OUTPUT_BUDGET]
          --workers N          slow-work threads, default one per CPU        [CALLSERVER_WORKERS]
          --slow-queue N       slow requests waiting at once (256)           [CALLSERVER_SLOW_QUEUE]
          --slow-per-key N     slow requests waiting per key (4)             [CALLSERVER_SLOW_PER_KEY]
          --help               this text

        When ready it prints "CallServer listening on http://HOST:PORT" on stdout.
        SIGTERM or SIGINT: stop accepting, finish requests in flight, exit 0.
        """

    /// Parses `arguments` (without the program name) over `environment`.
    static func parse(_ arguments: [String], environment: [String: String]) throws(UsageError) -> ServeOptions {
        var options = ServeOptions()
        if let value = environment["CALLSERVER_HOST"] { options.host = value }
        if let value = environment["CALLSERVER_PORT"] { options.port = try port(value, "CALLSERVER_PORT") }
        if let value = environment["CALLSERVER_KEYS"] { options.keysFile = value }
        if let value = environment["CALLSERVER_IMPORT"] { options.importFile = value }
        if let value = environment["CALLSERVER_THREADS"] { options.threads = try count(value, "CALLSERVER_THREADS", min: 0) }
        if let value = environment["CALLSERVER_MAX_BODY_BYTES"] {
            options.maxBodyBytes = try count(value, "CALLSERVER_MAX_BODY_BYTES", min: 1)
        }
        if let value = environment["CALLSERVER_MAX_IMPORT_BYTES"] {
            options.maxImportBytes = try count(value, "CALLSERVER_MAX_IMPORT_BYTES", min: 1)
        }
        if let value = environment["CALLSERVER_DATA_DIR"] { options.dataDir = value }
        if let value = environment["CALLSERVER_COMPACT_BYTES"] {
            options.compactBytes = try count(value, "CALLSERVER_COMPACT_BYTES", min: 1)
        }
        if let value = environment["CALLSERVER_CHANGES_RETENTION"] {
            options.changesRetention = try duration(value, "CALLSERVER_CHANGES_RETENTION")
        }
        if environment["CALLSERVER_ACCESS_LOG"]?.lowercased() == "off" { options.accessLog = false }
        if let value = environment["CALLSERVER_METRICS"] { options.metrics = try onOff(value, "CALLSERVER_METRICS") }
        if let value = environment["CALLSERVER_LOG_FORMAT"] { options.logFormat = try logFormat(value, "CALLSERVER_LOG_FORMAT") }
        if let value = environment["CALLSERVER_MCP_ORIGIN"] { options.mcpOrigins = try origins(value, "CALLSERVER_MCP_ORIGIN") }
        for tunable in tunables {
            if let text = environment[tunable.variable] {
                tunable.apply(&options.http, try number(text, tunable.variable, tunable))
            }
        }
        if let value = environment["CALLSERVER_RATE_LIMIT"] { options.rateLimit = try rate(value, "CALLSERVER_RATE_LIMIT") }
        if let value = environment["CALLSERVER_RATE_BURST"] {
            options.rateBurst = try count(value, "CALLSERVER_RATE_BURST", min: 1, max: 1_000_000_000)
        }
        if let value = environment["CALLSERVER_MAX_CALLS_PER_ORG"] {
            options.maxCallsPerOrg = try count(value, "CALLSERVER_MAX_CALLS_PER_ORG", min: 0)
        }

        var index = 0
        var flagOrigins = false
        func value(_ flag: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(flag) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--host": options.host = try value(argument)
            case "--port": options.port = try port(try value(argument), argument)
            case "--keys": options.keysFile = try value(argument)
            case "--import": options.importFile = try value(argument)
            case "--threads": options.threads = try count(try value(argument), argument, min: 0)
            case "--max-body-bytes": options.maxBodyBytes = try count(try value(argument), argument, min: 1)
            case "--max-import-bytes": options.maxImportBytes = try count(try value(argument), argument, min: 1)
            case "--data-dir": options.dataDir = try value(argument)
            case "--compact-bytes": options.compactBytes = try count(try value(argument), argument, min: 1)
            case "--changes-retention": options.changesRetention = try duration(try value(argument), argument)
            case "--rate-limit": options.rateLimit = try rate(try value(argument), argument)
            case "--rate-burst": options.rateBurst = try count(try value(argument), argument, min: 1, max: 1_000_000_000)
            case "--max-calls-per-org": options.maxCallsPerOrg = try count(try value(argument), argument, min: 0)
            case "--mcp-origin":
                // The flags replace the environment's list; several flags add up.
                if !flagOrigins { options.mcpOrigins = [] }
                flagOrigins = true
                options.mcpOrigins += try origins(try value(argument), argument)
            case "--quiet": options.accessLog = false
            case "--metrics": options.metrics = try onOff(try value(argument), argument)
            case "--log-format": options.logFormat = try logFormat(try value(argument), argument)
            case "--demo":
                options.demoCount = 10_000
                if index + 1 < arguments.count, let n = Int(arguments[index + 1]) {
                    guard n >= 0 && n <= 10_000_000 else { throw UsageError(description: "--demo takes 0 to 10000000 calls") }
                    options.demoCount = n
                    index += 1
                }
            default:
                guard let tunable = tunables.first(where: { $0.flag == argument }) else {
                    throw UsageError(description: "unknown option \(argument) (see --help)")
                }
                tunable.apply(&options.http, try number(try value(argument), argument, tunable))
            }
            index += 1
        }
        if options.rateBurst != nil && options.rateLimit == nil {
            throw UsageError(description: "--rate-burst (CALLSERVER_RATE_BURST) needs --rate-limit (CALLSERVER_RATE_LIMIT)")
        }
        return options
    }

    private static func number(_ text: String, _ name: String, _ tunable: Tunable) throws(UsageError) -> Double {
        if tunable.wholeNumber {
            guard let n = Int(text), Double(n) >= tunable.minimum, Double(n) <= tunable.maximum else {
                throw UsageError(description: "\(name) must be a whole number from \(Int(tunable.minimum)) to \(Int(tunable.maximum))")
            }
            return Double(n)
        }
        guard let n = Double(text), n.isFinite, n >= tunable.minimum, n <= 86_400 else {
            throw UsageError(description: "\(name) must be a number of seconds from \(tunable.minimum) to 86400")
        }
        return n
    }

    /// A duration in milliseconds from whole seconds, or a whole number with `s`, `m`, `h` or `d` (at most 10 years).
    private static func duration(_ text: String, _ name: String) throws(UsageError) -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var digits = Substring(text)
        var unit: Int64 = 1
        if let last = text.last, let seconds = units[last] {
            unit = seconds
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let amount = Int64(digits), amount >= 0,
            amount <= 3_650 * 86_400 / unit
        else {
            throw UsageError(description: "\(name) must be a duration such as 3600, 90m, 12h or 30d (at most 3650d)")
        }
        return amount * unit * 1000
    }

    /// A rate in requests a second: a decimal number above 0 (fractions allowed, e.g. 0.5 for one every two seconds).
    private static func rate(_ text: String, _ name: String) throws(UsageError) -> Double {
        guard let n = Double(text), n.isFinite, n > 0, n <= 1_000_000_000 else {
            throw UsageError(description: "\(name) must be a number of requests per second above 0, e.g. 10 or 0.5")
        }
        return n
    }

    private static func onOff(_ text: String, _ name: String) throws(UsageError) -> Bool {
        switch text.lowercased() {
        case "on": return true
        case "off": return false
        default: throw UsageError(description: "\(name) must be on or off")
        }
    }

    private static func logFormat(_ text: String, _ name: String) throws(UsageError) -> LogFormat {
        guard let format = LogFormat(rawValue: text.lowercased()) else {
            throw UsageError(description: "\(name) must be text or json")
        }
        return format
    }

    /// A comma-separated list of origins (`scheme://host[:port]`).
    private static func origins(_ text: String, _ name: String) throws(UsageError) -> [String] {
        var list: [String] = []
        for part in text.split(separator: ",") {
            let origin = part.trimmingSpaces()
            if let problem = MCPOrigins.problem(origin) { throw UsageError(description: "\(name): \(problem)") }
            list.append(origin)
        }
        guard !list.isEmpty else { throw UsageError(description: "\(name) needs at least one origin, e.g. https://app.example") }
        return list
    }

    private static func port(_ text: String, _ name: String) throws(UsageError) -> Int {
        guard let n = Int(text), (0...65535).contains(n) else { throw UsageError(description: "\(name) must be a port number 0–65535") }
        return n
    }

    private static func count(_ text: String, _ name: String, min: Int, max: Int = Int.max) throws(UsageError) -> Int {
        guard let n = Int(text), n >= min, n <= max else {
            throw UsageError(description: max == Int.max
                ? "\(name) must be a whole number ≥ \(min)" : "\(name) must be a whole number from \(min) to \(max)")
        }
        return n
    }
}
