/// Maps method and path to a handler: exact segments and `{param}` segments.
public struct HTTPRouter: Sendable {
    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private struct Pattern: Sendable {
        /// The pattern as registered, e.g. `/api/calls/{call_id}` (its metrics label).
        var text: String
        var segments: [Segment]
        /// A route has a handful of methods: a list compared in order costs less than hashing the method.
        var handlers: [(method: String, route: HTTPRoute)]
        /// The `Allow` list, kept with the handlers so resolving never rebuilds it.
        var allow: [String]
        /// Whether `Allow` names `OPTIONS` (which the router answers on every pattern).
        var listsOptions: Bool
        var literalCount: Int
        /// The whole path when every segment is a literal (`/api/calls`): such a pattern is matched by one
        /// comparison, and wins outright, having the most literals a path of its length can have.
        var literalPath: String?
    }

    /// The outcome of resolving a request.
    public enum Resolution: Sendable {
        /// A handler's route, its captured parameters, and whether the body must be left out (`HEAD` served by `GET`).
        case handler(HTTPRoute, parameters: [String: String], isHead: Bool)
        /// `OPTIONS`: answer 204 with these methods in `Allow`.
        case options(allow: [String])
        /// No pattern matches the path.
        case notFound
        /// The path matches but the method does not.
        case methodNotAllowed(allow: [String])
    }

    private var patterns: [Pattern] = []

    /// Creates an empty router.
    public init() {}

    /// Every registered (method, pattern) pair, patterns in registration order (`HEAD` and `OPTIONS`, which the
    /// router answers for a pattern without registration, are not listed).
    public var routes: [(method: String, pattern: String)] {
        patterns.flatMap { pattern in pattern.handlers.map { (method: $0.method, pattern: pattern.text) } }
    }

    /// Registers `handler` for `method` on `pattern`, e.g. `"/api/calls/{call_id}"`. With `listsOptions` false the
    /// pattern's `Allow` names only its registered methods (a protocol endpoint whose contract says exactly which),
    /// though `OPTIONS` is still answered.
    public mutating func add(_ method: String, _ pattern: String, _ handler: any HTTPHandler, listsOptions: Bool = true) {
        let segments = Self.split(pattern).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
        if let index = patterns.firstIndex(where: { $0.segments == segments }) {
            patterns[index].handlers.removeAll { $0.method == method }
            patterns[index].handlers.append((method, HTTPRoute(handler, labelIndex: index + 1)))
            patterns[index].listsOptions = patterns[index].listsOptions && listsOptions
            patterns[index].allow = Self.allowed(patterns[index].handlers.map(\.method), listsOptions: patterns[index].listsOptions)
        } else {
            let literals = segments.reduce(0) { if case .literal = $1 { $0 + 1 } else { $0 } }
            let literalPath = literals == segments.count ? pattern : nil
            let route = HTTPRoute(handler, labelIndex: patterns.count + 1)
            patterns.append(Pattern(
                text: pattern, segments: segments, handlers: [(method, route)], allow: Self.allowed([method], listsOptions: listsOptions), listsOptions: listsOptions,
                literalCount: literals, literalPath: literalPath))
        }
    }

    /// The `route` label values of the metrics and the access log: `unmatched` first (no route, or refused before
    /// routing), then each registered pattern, so a client's path never becomes a label.
    public var routeLabels: [String] { ["unmatched"] + patterns.map(\.text) }

    /// The index in `routeLabels` of the pattern `path` matches (0: none). Resolving found it already for a handler
    /// (`HTTPRoute.labelIndex`); this serves the rarer answers that carry no route (405, `OPTIONS`).
    func labelIndex(path: String) -> Int {
        guard path != "*", let index = bestPattern(path)?.index else { return 0 }
        return index + 1
    }

    /// Resolves a request; among matching patterns the one with the most literal segments wins,
    /// so `/api/calls/import` shadows `/api/calls/{call_id}` for every method.
    public func resolve(method: String, path: String) -> Resolution {
        // RFC 9110 §9.3.6: CONNECT asks a proxy for a tunnel; an origin server has no target for it, so it is a
        // method no resource allows (its authority-form target is no path, and a 404 would name none).
        if method == "CONNECT" { return .methodNotAllowed(allow: allMethods()) }
        if path == "*" {
            return method == "OPTIONS" ? .options(allow: allMethods()) : .notFound
        }
        guard let (index, parameters) = bestPattern(path) else { return .notFound }
        if let route = route(in: index, for: method) {
            return .handler(route, parameters: parameters, isHead: false)
        }
        if method == "HEAD", let route = route(in: index, for: "GET") {
            return .handler(route, parameters: parameters, isHead: true)
        }
        if method == "OPTIONS" {
            return .options(allow: patterns[index].allow)
        }
        return .methodNotAllowed(allow: patterns[index].allow)
    }

    /// The pattern that wins for `path`, with the parameters it captures.
    private func bestPattern(_ path: String) -> (index: Int, parameters: [String: String])? {
        // Patterns are read in place by index: copying one out would retain its arrays.
        if let index = patterns.indices.first(where: { patterns[$0].literalPath == path }) {
            return (index, [:])
        }
        var best: (index: Int, parameters: [String: String])?
        let partCount = Self.segmentCount(path)
        for index in patterns.indices where patterns[index].segments.count == partCount {
            if let current = best, patterns[current.index].literalCount >= patterns[index].literalCount { continue }
            guard let parameters = Self.match(patterns[index].segments, path) else { continue }
            best = (index, parameters)
        }
        return best
    }

    /// The route of `method` on pattern `index`, if it has one.
    private func route(in index: Int, for method: String) -> HTTPRoute? {
        for entry in patterns[index].handlers where entry.method == method { return entry.route }
        return nil
    }

    private func allMethods() -> [String] {
        Self.allowed(patterns.flatMap { $0.handlers.map(\.method) })
    }

    private static func allowed<S: Sequence<String>>(_ methods: S, listsOptions: Bool = true) -> [String] {
        var set = Set(methods)
        if set.contains("GET") { set.insert("HEAD") }
        if listsOptions { set.insert("OPTIONS") }
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        return order.filter { set.contains($0) } + set.subtracting(order).sorted()
    }

    private static func split(_ path: String) -> [Substring] {
        // "/a/b" → ["a", "b"]; "/" → [""]; a trailing slash yields an empty last segment, which
        // never matches a literal and is rejected by parameter validation.
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.first == "" { parts.removeFirst() }
        return parts
    }

    /// How many segments `split` makes of a path, counted without building them.
    private static func segmentCount(_ path: String) -> Int {
        guard !path.isEmpty else { return 0 }
        var slashes = 0
        for byte in path.utf8 where byte == UInt8(ascii: "/") { slashes += 1 }
        return path.utf8.first == UInt8(ascii: "/") ? slashes : slashes + 1
    }

    /// Matches the segments of `split(path)` (already known to be as many as `segments`) against a
    /// pattern, walking the path's bytes; literals compare byte for byte, as targets are ASCII.
    private static func match(_ segments: [Segment], _ path: String) -> [String: String]? {
        var parameters: [String: String] = [:]
        var rest = path.utf8[...]
        if rest.first == UInt8(ascii: "/") { rest = rest.dropFirst() }
        for segment in segments {
            let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            let part = rest[..<end]
            switch segment {
            case .literal(let literal):
                if !literal.utf8.elementsEqual(part) { return nil }
            case .parameter(let name):
                parameters[name] = String(Substring(part))
            }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        return parameters
    }
}
