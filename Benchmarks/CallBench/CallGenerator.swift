import CallCore

/// Deterministic calls for the benchmark: three organizations of different sizes, skewed agent popularity,
/// every status, type and direction, timestamps on whole minutes (many ties), and realistic transcripts.
struct CallGenerator {
    /// The organizations and their share of the calls.
    static let organizations: [(id: String, share: Double)] = [("org-acme", 0.5), ("org-globex", 0.3), ("org-initech", 0.2)]
    /// Company lines (the other side of every phone call).
    static let lines = (0..<40).map { "+1800555\(String(1000 + $0 * 7))" }
    /// Customer numbers in use.
    static let customerCount = 400_000

    private let transcripts = TranscriptGenerator()
    private let agents: [String: [String]] = Dictionary(uniqueKeysWithValues: organizations.map { org in
        (org.id, (0..<150).map { "agent-\(org.id.dropFirst(4))-\(String(1000 + $0).dropFirst())" })
    })

    /// The customer number with index `k`.
    static func customer(_ k: Int) -> String { "+1" + String(2_000_000_000 + k * 7_919 % 7_000_000_000) }

    /// Call number `index` (the same for every run).
    func call(_ index: Int) -> Call {
        var rng = BenchRandom(seed: 0xCA11 &+ UInt64(index) &* 0x9E37_79B9)
        let u = rng.unit()
        let organization = u < 0.5 ? Self.organizations[0].id : (u < 0.8 ? Self.organizations[1].id : Self.organizations[2].id)
        let statusRoll = rng.unit()
        let status: CallStatus = statusRoll < 0.72 ? .ended : statusRoll < 0.76 ? .error : statusRoll < 0.80 ? .ongoing
            : statusRoll < 0.90 ? .registered : .scheduled
        let type: CallType = rng.chance(0.7) ? .phoneCall : .webCall
        let direction: CallDirection = rng.chance(0.55) ? .inbound : .outbound
        // 2025, on whole minutes: about a million calls over 525,600 minutes, so equal timestamps are common.
        let start = Int64(1_735_689_600_000) + Int64(rng.below(525_600)) * 60_000
        var end: Int64?
        if status == .ended {
            end = start + 20_000 + Int64(rng.below(rng.chance(0.2) ? 2_400_000 : 600_000))
        } else if status == .error {
            end = start + Int64(rng.below(30_000))
        }
        var from: String?
        var to: String?
        if type == .phoneCall {
            let customer = Self.customer(rng.below(Self.customerCount))
            let line = rng.skewed(Self.lines)
            (from, to) = direction == .inbound ? (customer, line) : (line, customer)
        }
        // Connected calls have a transcript; half the failed ones got far enough to have one.
        let hasTranscript = status == .ended || status == .ongoing || (status == .error && rng.chance(0.5))
        var metadata = CallMetadata()
        if rng.chance(0.3) { metadata["campaign"] = "spring-\(rng.below(5))" }
        return Call(
            id: Self.uuid(&rng), callID: "call-\(String(index, radix: 36))-\(rng.below(1000))",
            agentID: rng.skewed(agents[organization] ?? ["agent"]), organizationID: organization,
            status: status, type: type, direction: direction, fromNumber: from, toNumber: to,
            startTimestamp: start, endTimestamp: end,
            // Last written when it ended (or started), plus the platform's delay: distinct values, like a live store.
            updatedTimestamp: (end ?? start) + 1_000 + Int64(index % 997),
            transcript: hasTranscript ? transcripts.transcript(&rng, ongoing: status == .ongoing) : "",
            metadata: metadata)
    }

    /// The agents of `organization`, most popular first.
    func agents(of organization: String) -> [String] { agents[organization] ?? [] }

    private static func uuid(_ rng: inout BenchRandom) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(36)
        for index in 0..<32 {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append("-") }
            if index == 12 {
                text.append("4")
            } else {
                text.append(digits[rng.below(16)])
            }
        }
        return text
    }
}
