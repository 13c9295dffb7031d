/// Realistic call-centre transcripts: greeting, request, replies, closing, built from templates with slots
/// (names, products, cities, order numbers), so common words are very common, phrases like "credit card"
/// recur, and rare words (one of thousands of made-up terms, a few accented) appear in few calls.
struct TranscriptGenerator {
    private static let names = [
        "Anna", "Ben", "Carla", "David", "Emma", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Karim", "Lena", "Marco",
        "Nora", "Oscar", "Paula", "Quentin", "Rosa", "Samir", "Tina", "Ulrich", "Vera", "Walter", "Ximena", "Yusuf",
        "Zoé", "Chloé", "Renée", "José", "Björn", "Søren", "Łukasz", "Ólafur", "Mühlberg", "Dvořák", "François",
    ]
    private static let products = [
        "premium plan", "basic plan", "family bundle", "router", "modem", "smart speaker", "phone case", "laptop",
        "tablet", "headset", "charger", "gift card", "subscription", "warranty", "travel insurance", "café voucher",
        "data plan", "roaming pack", "fibre connection", "smartwatch", "printer", "ink cartridge", "camera", "TV box",
    ]
    private static let cities = [
        "Berlin", "Paris", "Zürich", "München", "São Paulo", "Montréal", "Köln", "Malmö", "Kraków", "Reykjavík",
        "London", "Madrid", "Lisbon", "Vienna", "Prague", "Dublin", "Oslo", "Helsinki", "Athens", "Rome",
    ]
    private static let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "tomorrow", "next week"]
    private static let openers = [
        "Hello, thank you for calling customer support, my name is {name}. How can I help you today?",
        "Good morning, you are speaking with {name} from the billing team. What can I do for you?",
        "Hi, thanks for calling. This is {name}, how may I help?",
        "Good afternoon and welcome to the help desk, {name} speaking.",
        "Hello, this is {name} calling from customer care about your recent order.",
    ]
    private static let requests = [
        "I need help with a refund for my order {order}.",
        "My credit card was charged twice for the {product}.",
        "I would like to upgrade my {product} to the premium plan.",
        "The {product} I bought stopped working after two days.",
        "Can you tell me where my package is? The order number is {order}.",
        "I want to cancel my {product} and get my money back.",
        "I am moving to {city} and need to transfer my {product}.",
        "My internet connection keeps dropping since {day}.",
        "I forgot my password and the reset email never arrived.",
        "Could you explain the invoice I received for order {order}?",
        "I would like to book an appointment for {day} please.",
        "Is the naïve pricing tier still available for students in {city}?",
        "The technician did not show up on {day} as promised.",
        "I was promised a discount on the {product} but it is not on my bill.",
        "Can I pay the outstanding balance with a different credit card?",
    ]
    private static let replies = [
        "Sure, let me check that for you. Can you confirm your full name and date of birth?",
        "I understand, I am sorry for the trouble this has caused.",
        "Of course, one moment while I look up your account.",
        "Thank you for your patience, I can see the issue now.",
        "I have escalated this to our technical support team and they will call you back.",
        "Your refund has been processed and should arrive within five business days.",
        "I can see order {order} here, it was shipped from our warehouse in {city} on {day}.",
        "I have applied a credit of twenty euros to your account as an apology.",
        "The {product} is covered by the warranty, so we will send a replacement.",
        "I have updated the credit card on file, the old card has been removed.",
        "Let me transfer you to my colleague {name} in the sales department.",
        "I have booked the appointment for {day} between nine and twelve.",
        "I sent a new password reset link to your email address just now.",
        "Unfortunately I cannot cancel the contract before the end of the minimum term.",
    ]
    private static let customerLines = [
        "Okay, thank you.", "Yes, that is correct.", "That would be great, thanks.", "No, that is not right.",
        "Alright, I will wait.", "Can you repeat that please?", "Perfect, that helps a lot.",
        "I have been a customer for ten years and this is the first time this happens.",
        "My account number is {order}.", "I live in {city}.",
    ]
    private static let closers = [
        "Is there anything else I can help you with today? No, that is all, thank you for your help. Goodbye!",
        "Thank you for calling, have a wonderful day.",
        "Great, thanks so much for your help. Bye.",
        "You are welcome. Thank you for your patience and have a nice evening.",
        "Perfect, talk to you soon. Goodbye.",
    ]
    private static let accentedRare = ["smörgåsbord", "jalapeño", "façade", "crème", "brûlée", "piñata", "Ångström", "œuvre", "déjà", "über"]

    /// Made-up rare terms (product codes, misheard words): thousands of them, each in few transcripts.
    private let rareWords: [String]

    init() {
        let syllables = ["ka", "lo", "mi", "ze", "tru", "bar", "qui", "nex", "vo", "dra", "fen", "gul", "hap", "jor", "wix", "yel"]
        var words: [String] = []
        for a in syllables {
            for b in syllables {
                for c in syllables.prefix(8) { words.append(a + b + c) }
            }
        }
        rareWords = words  // 16 · 16 · 8 = 2048
    }

    /// The rare word used by the benchmark's rare-word query.
    static let benchmarkRareWord = "zeppelin"

    /// One transcript; empty for calls that never connected.
    func transcript(_ rng: inout BenchRandom, ongoing: Bool) -> String {
        var lines: [String] = []
        lines.append("Agent: " + fill(rng.pick(Self.openers), &rng))
        lines.append("Customer: " + fill(rng.skewed(Self.requests), &rng))
        let turns = ongoing ? 1 + rng.below(2) : 2 + rng.below(5)
        for _ in 0..<turns {
            lines.append("Agent: " + fill(rng.skewed(Self.replies), &rng))
            if rng.chance(0.7) { lines.append("Customer: " + fill(rng.pick(Self.customerLines), &rng)) }
        }
        if rng.chance(0.04) { lines.append("Customer: by the way, the reference on the letter says \(rng.pick(rareWords)).") }
        if rng.chance(0.01) { lines.append("Customer: my son calls it the \(rng.pick(Self.accentedRare)) thing.") }
        if rng.chance(0.0005) { lines.append("Customer: it sounded like a \(Self.benchmarkRareWord) overhead.") }
        if !ongoing { lines.append("Agent: " + fill(rng.pick(Self.closers), &rng)) }
        return lines.joined(separator: "\n")
    }

    /// A template cut into literal text and slots once, so filling it is plain appending.
    private enum Piece {
        case text(String)
        case slot(String)
    }

    private static func pieces(_ template: String) -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if open > rest.startIndex { pieces.append(.text(String(rest[..<open]))) }
            pieces.append(.slot(String(rest[rest.index(after: open)..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        return pieces
    }

    private static let parsed: [String: [Piece]] = {
        var all: [String: [Piece]] = [:]
        for template in openers + requests + replies + customerLines + closers { all[template] = pieces(template) }
        return all
    }()

    private func fill(_ template: String, _ rng: inout BenchRandom) -> String {
        guard let pieces = Self.parsed[template] else { return template }
        var text = ""
        for piece in pieces {
            switch piece {
            case .text(let literal): text += literal
            case .slot("name"): text += rng.pick(Self.names)
            case .slot("product"): text += rng.skewed(Self.products)
            case .slot("city"): text += rng.skewed(Self.cities)
            case .slot("day"): text += rng.pick(Self.days)
            case .slot: text += "A" + String(100_000 + rng.below(900_000))
            }
        }
        return text
    }
}
