import CallCore
import Foundation

// CallBench: builds an IndexedCallStore of N generated calls and times a fixed mix of list queries in process,
// checking every answer against the reference engine. See BenchOptions for the command line.

guard let options = BenchOptions(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(Data(BenchOptions.usage.utf8))
    exit(2)
}

if options.loopBound {
    LoopBound.run(runs: options.runs)
    exit(0)
}

let generator = CallGenerator()
var clock = Measure.now()
var calls = BenchRun.generate(options.count)
if options.encodeOnly {
    do {
        EncodeMix.run(store: try IndexedCallStore(calls: calls), generator: generator, runs: options.runs * 10)
        exit(0)
    } catch {
        print("build failed: \(error)")
        exit(1)
    }
}
print("generated \(calls.count) calls in \(String(format: "%.1f", Measure.seconds(since: clock))) s")

clock = Measure.now()
let ndjsonBytes: Int
do {
    ndjsonBytes = try NDJSONExport.export(calls, to: options.ndjsonPath)
} catch {
    print("cannot write NDJSON: \(error)")
    exit(1)
}
print("NDJSON: \(Measure.mib(ndjsonBytes))\(options.ndjsonPath.map { " written to \($0)" } ?? "") in \(String(format: "%.1f", Measure.seconds(since: clock))) s")
let residentBeforeBuild = Measure.status("VmRSS")

clock = Measure.now()
let cpuBeforeBuild = Measure.cpuSeconds()
let store: IndexedCallStore
do {
    store = try IndexedCallStore(calls: calls)
} catch {
    print("build failed: \(error)")
    exit(1)
}
let buildSeconds = Measure.seconds(since: clock)
let peakAfterBuild = Measure.status("VmHWM")
let buildCPU = Measure.cpuSeconds() - cpuBeforeBuild
print(String(format: "built IndexedCallStore of %d calls in %.2f s (%.2f s of CPU on %d cores)", store.count, buildSeconds, buildCPU,
    ProcessInfo.processInfo.activeProcessorCount))
print("memory: peak \(Measure.mib(peakAfterBuild)) (generated calls alone \(Measure.mib(residentBeforeBuild))), "
    + String(format: "%.2f", Double(peakAfterBuild) / Double(max(1, ndjsonBytes))) + " x the NDJSON size (bar: 2.5)")

print("index structures: " + store.indexByteCounts.map { "\($0.name) \(Measure.mib($0.bytes))" }.joined(separator: ", "))

let queries = QueryMix.queries(generator: generator, sample: Array(calls.prefix(1000)))
let results = BenchRun.time(queries, on: store, runs: options.runs)
BenchReport.printTable("queries on \(queries[0].organization) (\(options.runs) runs each)", results)
let cursorPairs = CursorMix.pairs(queries, on: store)
let cursorDifferences = CursorMix.run(cursorPairs, on: store, runs: options.runs)
for difference in cursorDifferences { print("MISMATCH \(difference)") }

EncodeMix.run(store: store, generator: generator, runs: options.runs * 10)

ChangesMix.run(store: store, calls: calls, generator: generator, organization: queries[0].organization, runs: options.runs)

var failed = !cursorDifferences.isEmpty
var reference: InMemoryCallStore?
if options.verify {
    clock = Measure.now()
    do {
        reference = try InMemoryCallStore(calls: calls)
    } catch {
        print("reference build failed: \(error)")
        exit(1)
    }
    if let reference {
        let differences = BenchRun.differences(queries, store, reference) + CursorMix.differences(cursorPairs, store, reference)
        for difference in differences { print("MISMATCH \(difference)") }
        failed = failed || !differences.isEmpty
        print("checked \(queries.count) queries against the reference engine in \(String(format: "%.1f", Measure.seconds(since: clock))) s: "
            + (differences.isEmpty ? "all identical" : "\(differences.count) differ"))
    }
}

var writeFacts: [(String, Double)] = []
if options.writes > 0 {
    let batches = BenchRun.writeBatches(options.writes, existing: calls, generator: generator)
    var current = store
    var samples: [UInt64] = []
    for batch in batches {
        let start = Measure.now()
        current = current.applying(batch)
        samples.append(Measure.now() - start)
    }
    let (median, p99) = Measure.summary(samples)
    let slowest = Double(samples.max() ?? 0) / 1e6
    print(String(format: "\napplied %d single-call write batches: median %.3f ms, p99 %.3f ms, slowest %.1f ms (rebuilds run in the background; a write adopting one replays the writes made since)", batches.count, median, p99, slowest))
    writeFacts = [("write_median_ms", median), ("write_p99_ms", p99), ("write_max_ms", slowest)]
    let afterWrites = BenchRun.time(queries, on: current, runs: max(20, options.runs / 4))
    BenchReport.printTable("the same queries after the writes (delta merged at query time)", afterWrites)
    if var updated = reference {
        reference = nil
        updated = updated.applying(batches.flatMap { $0 })
        let differences = BenchRun.differences(queries, current, updated)
        for difference in differences { print("MISMATCH after writes \(difference)") }
        failed = failed || !differences.isEmpty
        print("checked \(queries.count) queries after the writes against the reference: " + (differences.isEmpty ? "all identical" : "\(differences.count) differ"))
    }
}

print("\nsummary: \(calls.count) calls, NDJSON \(Measure.mib(ndjsonBytes)), build \(String(format: "%.2f", buildSeconds)) s, "
    + "peak memory after build \(Measure.mib(peakAfterBuild)) (\(String(format: "%.2f", Double(peakAfterBuild) / Double(max(1, ndjsonBytes))))x NDJSON), "
    + "final peak \(Measure.mib(Measure.status("VmHWM"))) (includes the reference engine)")

if let path = options.jsonPath {
    let facts: [(String, Double)] = [
        ("calls", Double(calls.count)), ("ndjson_bytes", Double(ndjsonBytes)), ("build_seconds", buildSeconds),
        ("peak_bytes", Double(peakAfterBuild)),
    ] + writeFacts
    if FileManager.default.createFile(atPath: path, contents: Data(BenchReport.json(results, facts: facts))) {
        print("results written to \(path)")
    } else {
        print("cannot write \(path)")
        failed = true
    }
}
calls = []
if failed {
    print("FAILED: the indexed engine disagrees with the reference")
    exit(1)
}
