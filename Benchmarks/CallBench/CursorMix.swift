import CallCore
import Foundation

/// Cursor pages against the numbered pages they stand for: for queries of the mix at some depth k, the page the
/// cursor of page k-1 leads to, timed in turn with numbered page k (so drift of the machine hits both alike), and
/// checked to be the same calls at the same position.
enum CursorMix {
    /// Queries of the mix continued by cursor, each at its own page when it has one, else at page 50.
    static let names = [
        "no filter", "status=ended", "agent_id", "duration 30s-5min", "start one week", "ended+inbound",
        "search common 'help'", "search prefix 'refund*'", "sort end_timestamp ascending", "sort call_duration descending",
        "sort call_id ascending", "deep page 10000x25", "deep call_id asc 4000x100", "deep end desc 3000x100",
        "deep ended by duration 2000x100", "deep 'help' by call_id 1500x100", "deep inbound end asc 2000x100",
    ]

    /// One pair: the numbered query of page k, and the position after page k-1's last call.
    struct Pair {
        let numbered: BenchQuery
        let after: OrderKey
    }

    /// The pairs, each key taken from the cursor the server issues with page k-1 (as a client sends it back).
    static func pairs(_ queries: [BenchQuery], on store: IndexedCallStore) -> [Pair] {
        let signer = ListCursorSigner(secret: [UInt8](repeating: 1, count: ListCursorSigner.secretLength))
        return queries.filter { names.contains($0.name) }.compactMap { item in
            var numbered = item.query
            numbered.page = max(numbered.page, 50)
            var previous = numbered
            previous.page -= 1
            guard let token = try? store.answer(previous, organizationID: item.organization, signer: signer).nextCursor,
                let cursor = ListCursor(token: token),
                let after = try? signer.open(cursor, query: numbered, organizationID: item.organization)
            else { return nil }
            return Pair(numbered: BenchQuery(name: item.name, organization: item.organization, query: numbered), after: after)
        }
    }

    /// The cursor's query: the numbered one without its page.
    static func continuing(_ pair: Pair) -> ListQuery {
        var query = pair.numbered.query
        query.page = 0
        return query
    }

    /// Times each pair (numbered, then cursor, alternating) and prints both medians and their ratio; returns the
    /// pairs whose two pages differ.
    static func run(_ pairs: [Pair], on store: IndexedCallStore, runs: Int) -> [String] {
        print("\ncursor pages (the cursor of page k-1) against numbered page k")
        let header = "query".padding(toLength: 36, withPad: " ", startingAt: 0) + "page k".leftPadded(8)
            + "numbered µs".leftPadded(13) + "cursor µs".leftPadded(11) + "ratio".leftPadded(8)
        print(header)
        print(String(repeating: "-", count: header.count))
        var differences: [String] = []
        var ratios: [Double] = []
        for pair in pairs {
            let organization = pair.numbered.organization
            let cursorQuery = continuing(pair)
            let numberedPage = store.list(pair.numbered.query, organizationID: organization)
            let cursorPage = store.list(cursorQuery, after: pair.after, organizationID: organization)
            if cursorPage != numberedPage { differences.append("\(pair.numbered.name): the cursor's page differs from page k") }
            var numbered: [UInt64] = []
            var cursor: [UInt64] = []
            let budget = Measure.now()
            for _ in 0..<runs {
                var start = Measure.now()
                _ = store.list(pair.numbered.query, organizationID: organization)
                numbered.append(Measure.now() - start)
                start = Measure.now()
                _ = store.list(cursorQuery, after: pair.after, organizationID: organization)
                cursor.append(Measure.now() - start)
                if Measure.now() - budget > 4_000_000_000 { break }
            }
            let numberedMedian = Measure.summary(numbered).median
            let cursorMedian = Measure.summary(cursor).median
            let ratio = cursorMedian / max(numberedMedian, 1e-9)
            ratios.append(ratio)
            print(pair.numbered.name.padding(toLength: 36, withPad: " ", startingAt: 0)
                + String(pair.numbered.query.page).leftPadded(8)
                + String(format: "%.2f", numberedMedian * 1000).leftPadded(13)
                + String(format: "%.2f", cursorMedian * 1000).leftPadded(11)
                + String(format: "%.2f", ratio).leftPadded(8))
        }
        print(String(format: "worst ratio %.2f (bar: 1.10)", ratios.max() ?? 0))
        return differences
    }

    /// The pairs whose cursor page differs from the reference engine's page after the same position.
    static func differences(_ pairs: [Pair], _ store: IndexedCallStore, _ reference: InMemoryCallStore) -> [String] {
        pairs.compactMap { pair in
            let query = continuing(pair)
            let organization = pair.numbered.organization
            let actual = store.list(query, after: pair.after, organizationID: organization)
            let wanted = reference.list(query, after: pair.after, organizationID: organization)
            return actual == wanted ? nil : "\(pair.numbered.name) by cursor: total \(actual.totalCount) vs reference \(wanted.totalCount)"
        }
    }
}
