import CallCore
import Foundation

/// The measured result of one query.
struct QueryResult {
    let query: BenchQuery
    let matched: Int
    let median: Double
    let p99: Double
}

/// Prints the table and writes the JSON results file.
enum BenchReport {
    static func printTable(_ title: String, _ results: [QueryResult]) {
        print("\n\(title)")
        let header = "query".padding(toLength: 36, withPad: " ", startingAt: 0) + "matched".leftPadded(10) + "median ms".leftPadded(12) + "p99 ms".leftPadded(10)
        print(header)
        print(String(repeating: "-", count: header.count))
        for result in results {
            print(result.query.name.padding(toLength: 36, withPad: " ", startingAt: 0)
                + String(result.matched).leftPadded(10)
                + String(format: "%.4f", result.median).leftPadded(12)
                + String(format: "%.4f", result.p99).leftPadded(10))
        }
        let medians = results.map(\.median).sorted()
        let worstMedian = medians.last ?? 0
        let worstP99 = results.map(\.p99).max() ?? 0
        print(String(format: "worst median %.4f ms, worst p99 %.4f ms (bar: 1 ms, 3 ms)", worstMedian, worstP99))
    }

    /// The results as JSON: run facts plus, per query, its numbers and its request (for the SQLite script).
    static func json(_ results: [QueryResult], facts: [(String, Double)]) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { root in
            for (name, value) in facts { root.member(name) { $0.value(.number(String(value))) } }
            root.member("queries") { list in
                list.array { array in
                    for result in results {
                        array.object { item in
                            item.member("name", result.query.name)
                            item.member("matched", result.matched)
                            item.member("median_ms") { $0.value(.number(String(result.median))) }
                            item.member("p99_ms") { $0.value(.number(String(result.p99))) }
                            item.member("organization_id", result.query.organization)
                            item.member("page", result.query.query.page)
                            item.member("limit", result.query.query.limit)
                            item.member("sort_by", result.query.query.sortBy.rawValue)
                            item.member("sort_order", result.query.query.sortOrder.rawValue)
                            item.member("filter_criteria") { result.query.query.filter.writeApplied(into: &$0) }
                        }
                    }
                }
            }
        }
        return writer.bytes
    }
}

extension String {
    /// The string right-aligned in `width` columns.
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
