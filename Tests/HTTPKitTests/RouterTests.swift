import HTTPKit
import Testing

private struct Named: HTTPHandler {
    let name: String
    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission { HTTPAdmission(maxBodyBytes: 0) }
    func respond(to request: HTTPRequest) throws -> HTTPResponse { HTTPResponse(status: 200, body: Array(name.utf8)) }
}

@Suite struct RouterTests {
    private var router: HTTPRouter {
        var router = HTTPRouter()
        router.add("POST", "/api/calls", Named(name: "list"))
        router.add("GET", "/api/calls/{call_id}", Named(name: "get"))
        router.add("PUT", "/api/calls/{call_id}", Named(name: "put"))
        router.add("POST", "/api/calls/import", Named(name: "import"))
        router.add("GET", "/healthz", Named(name: "health"))
        return router
    }

    private func name(_ resolution: HTTPRouter.Resolution) -> String? {
        guard case .handler(let route, _, _) = resolution else { return nil }
        return (route.handler as? Named)?.name
    }

    @Test func listsEveryRegisteredMethodAndPatternOnce() {
        var router = self.router
        router.add("PUT", "/api/calls/{call_id}", Named(name: "put again"))
        let routes = router.routes.map { "\($0.method) \($0.pattern)" }
        #expect(routes.sorted() == [
            "GET /api/calls/{call_id}", "GET /healthz", "POST /api/calls", "POST /api/calls/import", "PUT /api/calls/{call_id}",
        ])
    }

    @Test func matchesExactAndParameterSegments() {
        #expect(name(router.resolve(method: "POST", path: "/api/calls")) == "list")
        guard case .handler(let route, let parameters, false) = router.resolve(method: "GET", path: "/api/calls/abc%20d") else {
            Issue.record("no match")
            return
        }
        #expect((route.handler as? Named)?.name == "get")
        #expect(parameters == ["call_id": "abc%20d"])
    }

    @Test func connectIs405ListingEveryMethodWhateverTheTarget() {
        for path in ["", "/api/calls", "/nope"] {
            guard case .methodNotAllowed(let allow) = router.resolve(method: "CONNECT", path: path) else {
                Issue.record("CONNECT \(path) should be 405")
                continue
            }
            #expect(allow == ["GET", "HEAD", "POST", "PUT", "OPTIONS"])
        }
    }

    @Test func literalSegmentShadowsParameterForEveryMethod() {
        #expect(name(router.resolve(method: "POST", path: "/api/calls/import")) == "import")
        guard case .methodNotAllowed(let allow) = router.resolve(method: "GET", path: "/api/calls/import") else {
            Issue.record("GET /api/calls/import should be 405")
            return
        }
        #expect(allow == ["POST", "OPTIONS"])
    }

    @Test func headIsServedByGetAndFlagged() {
        guard case .handler(_, _, let isHead) = router.resolve(method: "HEAD", path: "/healthz") else {
            Issue.record("HEAD not routed")
            return
        }
        #expect(isHead)
    }

    @Test func unknownPathsAre404AndWrongMethods405WithAllow() {
        guard case .notFound = router.resolve(method: "GET", path: "/nope") else { Issue.record("expected 404"); return }
        guard case .notFound = router.resolve(method: "GET", path: "/api/calls/a/b") else { Issue.record("expected 404"); return }
        guard case .methodNotAllowed(let allow) = router.resolve(method: "DELETE", path: "/api/calls/x") else {
            Issue.record("expected 405")
            return
        }
        #expect(allow == ["GET", "HEAD", "PUT", "OPTIONS"])
    }

    @Test func optionsListsAllowedMethods() {
        guard case .options(let allow) = router.resolve(method: "OPTIONS", path: "/api/calls") else {
            Issue.record("expected OPTIONS")
            return
        }
        #expect(allow == ["POST", "OPTIONS"])
        guard case .options = router.resolve(method: "OPTIONS", path: "*") else { Issue.record("expected OPTIONS *"); return }
    }

    @Test func aPatternThatListsNoOptionsAllowsExactlyItsMethods() {
        var router = self.router
        router.add("POST", "/mcp", Named(name: "mcp"), listsOptions: false)
        guard case .methodNotAllowed(let allow) = router.resolve(method: "GET", path: "/mcp") else {
            Issue.record("expected 405")
            return
        }
        #expect(allow == ["POST"])
        guard case .options(let optionsAllow) = router.resolve(method: "OPTIONS", path: "/mcp") else {
            Issue.record("expected OPTIONS to be answered")
            return
        }
        #expect(optionsAllow == ["POST"])
        guard case .options(let other) = router.resolve(method: "OPTIONS", path: "/api/calls") else {
            Issue.record("expected OPTIONS")
            return
        }
        #expect(other == ["POST", "OPTIONS"])
    }
}
