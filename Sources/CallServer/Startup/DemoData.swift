import CallCore
import Foundation

/// Realistic, reproducible demo calls: two organizations, several agents, every status, type and
/// direction, and transcripts with common and rare words (some accented) to search.
enum DemoData {
    static let organizations = ["org-acme", "org-globex"]

    private static let agents = [
        "agent-support-1", "agent-support-2", "agent-sales-1", "agent-sales-2", "agent-billing", "agent-booking",
    ]
    private static let openers = [
        "Hello, thanks for calling. How can I help you today?",
        "Good morning! This is your virtual assistant speaking.",
        "Hi there, you've reached customer support.",
        "Bonjour, welcome to the café reservation line.",
    ]
    private static let requests = [
        "I need help with a refund for my last order.",
        "My credit card was charged twice this month.",
        "Can I book a table for four people on Friday evening?",
        "The internet connection keeps dropping since yesterday.",
        "I would like to upgrade my subscription to the premium plan.",
        "Where is my package? The tracking number says delivered.",
        "I want to cancel my appointment and reschedule it.",
        "Is the naïve pricing tier still available for students?",
        "My password reset email never arrived.",
        "Could you explain the invoice I received on 2024-03-15?",
    ]
    private static let replies = [
        "Sure, let me check that for you.",
        "I understand, I'm sorry for the trouble.",
        "Of course, one moment while I look up your account.",
        "Thanks for your patience, I can see the issue now.",
        "I have escalated this to our support team.",
        "Your refund has been processed and should arrive in 5 business days.",
        "The reservation is confirmed, see you at the café!",
        "I've sent a new link to your email address.",
    ]
    private static let closers = [
        "Is there anything else I can help you with? No, that's all, thank you. Goodbye!",
        "Thank you for calling, have a wonderful day.",
        "Great, thanks so much for your help. Bye.",
        "Perfect. Talk to you soon.",
    ]
    private static let rareWords = [
        "zeppelin", "quasar", "ÉCOLE", "fjord", "marzipan", "kumquat", "xylophone", "Zürich", "sphinx", "obsidian",
    ]

    /// `count` calls as NDJSON import lines (each with `organization_id` and `id`).
    static func lines(count: Int, seed: UInt64 = 42) -> [[UInt8]] {
        var rng = SplitMix64(seed: seed)
        let statuses = ["ENDED", "ENDED", "ENDED", "ENDED", "ERROR", "ONGOING", "REGISTERED", "SCHEDULED"]
        // A year of calls ending at 2026-01-01T00:00:00Z, so results do not depend on today's date.
        let end: Int64 = 1_767_225_600_000
        let span: Int64 = 365 * 24 * 3600 * 1000
        var lines: [[UInt8]] = []
        lines.reserveCapacity(count)
        for index in 0..<count {
            let org = organizations[index % organizations.count]
            let status = statuses[Int(rng.next() % UInt64(statuses.count))]
            let inbound = rng.next() % 2 == 0
            let phone = rng.next() % 4 != 0
            let start = end - Int64(rng.next() % UInt64(span))
            var fields: [String] = [
                "\"id\":\"\(uuid(&rng))\"",
                "\"call_id\":\"call-\(String(index, radix: 10))\"",
                "\"organization_id\":\"\(org)\"",
                "\"agent_id\":\"\(agents[Int(rng.next() % UInt64(agents.count))])\"",
                "\"call_status\":\"\(status)\"",
                "\"call_type\":\"\(phone ? "PHONE_CALL" : "WEB_CALL")\"",
                "\"direction\":\"\(inbound ? "INBOUND" : "OUTBOUND")\"",
                "\"start_timestamp\":\(start)",
            ]
            let customer = phone ? "\"+1\(5_550_000_000 + Int(rng.next() % 9_999_999))\"" : "null"
            let line = "\"+1800555\(String(1000 + Int(rng.next() % 9000)))\""
            fields.append("\"from_number\":\(inbound ? customer : line)")
            fields.append("\"to_number\":\(inbound ? line : customer)")
            if status == "ENDED" || status == "ERROR" {
                let duration = status == "ERROR" ? Int64(rng.next() % 20_000) : 15_000 + Int64(rng.next() % 900_000)
                fields.append("\"end_timestamp\":\(start + duration)")
            }
            if status != "SCHEDULED" && status != "REGISTERED" {
                fields.append("\"transcript\":\(jsonString(transcript(&rng)))")
            }
            if rng.next() % 3 == 0 {
                fields.append("\"metadata\":{\"campaign\":\"spring-\(rng.next() % 5)\",\"priority\":\"\(rng.next() % 2 == 0 ? "high" : "normal")\"}")
            }
            lines.append(Array(("{" + fields.joined(separator: ",") + "}").utf8))
        }
        return lines
    }

    private static func transcript(_ rng: inout SplitMix64) -> String {
        var parts = ["Agent: " + pick(openers, &rng), "Customer: " + pick(requests, &rng)]
        for _ in 0..<(1 + Int(rng.next() % 3)) {
            parts.append("Agent: " + pick(replies, &rng))
            if rng.next() % 2 == 0 { parts.append("Customer: " + pick(requests, &rng)) }
        }
        if rng.next() % 5 == 0 { parts.append("Customer: by the way, \(pick(rareWords, &rng)) is my code word.") }
        parts.append("Agent: " + pick(closers, &rng))
        return parts.joined(separator: "\n")
    }

    private static func pick(_ list: [String], _ rng: inout SplitMix64) -> String {
        list[Int(rng.next() % UInt64(list.count))]
    }

    private static func uuid(_ rng: inout SplitMix64) -> String {
        CallRecordDecoder.uuidString(high: rng.next(), low: rng.next())
    }

    private static func jsonString(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
