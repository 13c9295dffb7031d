/// The label values of the request metrics, fixed when the server starts: a client can pick none of them.
enum MetricLabels {
    /// Method labels, by slot; a method the server does not know is `other`, so no client can mint a label value.
    static let methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "other"]

    /// The slot of `other`, also the method of a request whose request line could not be parsed.
    static let otherMethod = methods.count - 1

    /// The method slot of `method`: the last slot (`other`) for any method not listed.
    static func methodSlot(_ method: String) -> Int {
        // Compared, not hashed: this runs on every request, and small strings compare in a few instructions.
        switch method {
        case "POST": return 2
        case "GET": return 0
        case "HEAD": return 1
        case "PUT": return 3
        case "PATCH": return 4
        case "DELETE": return 5
        case "OPTIONS": return 6
        case "CONNECT": return 7
        default: return 8
        }
    }

    /// The route label of a request that matched no route, or was refused before routing.
    static let unmatchedRoute = "unmatched"

    /// Status codes counted: 100 to 599, one slot each.
    static let lowestStatus = 100
    static let statusSlots = 500

    /// The slot of `status`; a code outside 100...599 (none is sent) would count as 599.
    @inline(__always)
    static func statusSlot(_ status: Int) -> Int {
        let slot = status &- lowestStatus
        return slot >= 0 && slot < statusSlots ? slot : statusSlots - 1
    }

    /// Upper bounds of the request-duration buckets in nanoseconds, 100 µs to 10 s (`+Inf` follows).
    static let durationBounds: [UInt64] = [
        100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
        100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000, 10_000_000_000,
    ]

    /// The bucket of a duration: the first bound it does not exceed, or the `+Inf` bucket. Spelled out rather than
    /// a walk over `durationBounds`: it runs on every request (a test holds the two together).
    @inline(__always)
    static func durationSlot(_ nanoseconds: UInt64) -> Int {
        switch nanoseconds {
        case ...100_000: return 0
        case ...250_000: return 1
        case ...500_000: return 2
        case ...1_000_000: return 3
        case ...2_500_000: return 4
        case ...5_000_000: return 5
        case ...10_000_000: return 6
        case ...25_000_000: return 7
        case ...50_000_000: return 8
        case ...100_000_000: return 9
        case ...250_000_000: return 10
        case ...500_000_000: return 11
        case ...1_000_000_000: return 12
        case ...2_500_000_000: return 13
        case ...5_000_000_000: return 14
        case ...10_000_000_000: return 15
        default: return 16
        }
    }
}
