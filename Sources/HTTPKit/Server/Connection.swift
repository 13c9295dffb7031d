import Glibc

/// One client connection: buffers, parser and the request in progress. Owned by one event loop
/// thread; never touched from another.
final class Connection {
    let fd: Int32
    /// Distinguishes this connection from a later one that reuses the same descriptor.
    let serial: UInt64
    var parser: HTTPRequestParser
    var input: [UInt8] = []
    var inputStart = 0
    var output: [UInt8] = []
    var outputStart = 0
    var pending: PendingRequest?
    /// A request whose deferred response is being produced elsewhere; nothing else is answered meanwhile.
    var awaiting: PendingRequest?
    /// Timeouts, back-pressure and closing, decided from events.
    var lifecycle: ConnectionLifecycle
    /// The events the loop watches the descriptor for.
    var interest: UInt32 = 0
    /// Whether the loop will flush this connection once it has served the current batch of events.
    var flushScheduled = false
    /// Unsent output counted against the server's output budget.
    var accountedOutput = 0
    /// `process` stopped with pipelined requests left, to give the loop's other connections their turn.
    var yielded = false

    init(fd: Int32, serial: UInt64, limits: HTTPLimits, policy: ConnectionLifecycle.Policy, now: UInt64) {
        self.fd = fd
        self.serial = serial
        self.parser = HTTPRequestParser(limits: limits)
        self.lifecycle = ConnectionLifecycle(policy: policy, now: now)
    }

    var pendingOutput: Int { output.count - outputStart }

    // MARK: Processing

    /// Parses and answers every complete request in the input buffer, in order, until the input is
    /// exhausted, the connection is closing, or too much output is pending (back-pressure).
    func process(_ ctx: inout LoopContext) {
        yielded = false
        let highWater = ctx.core.configuration.outputHighWaterBytes
        parsing: while !lifecycle.dropsInput && awaiting == nil && pendingOutput < highWater {
            var bodyBytes: ArraySlice<UInt8> = []
            let start = inputStart
            assert(start >= 0 && start <= input.count, "the parsed prefix lies within the input")
            let outcome = input.withUnsafeBytes { raw -> Result<(consumed: Int, event: HTTPParserEvent), HTTPParseError> in
                let view = UnsafeRawBufferPointer(rebasing: raw[start...])
                do throws(HTTPParseError) {
                    return .success(try parser.parse(view))
                } catch {
                    return .failure(error)
                }
            }
            let step: (consumed: Int, event: HTTPParserEvent)
            switch outcome {
            case .success(let value):
                step = value
            case .failure(let error):
                fail(with: error, &ctx)
                compactInput()
                updatePhase(ctx.now)
                return
            }
            assert(step.consumed <= input.count - start, "the parser consumes only bytes it was given")
            if case .body(let range) = step.event {
                assert(range.lowerBound >= 0 && range.upperBound <= step.consumed, "a body piece lies within what was consumed")
                bodyBytes = input[(inputStart + range.lowerBound)..<(inputStart + range.upperBound)]
            }
            inputStart += step.consumed
            switch step.event {
            case .needMoreData:
                compactInput()
                updatePhase(ctx.now)
                return
            case .head(let head):
                lifecycle.headReceived(now: ctx.now)
                begin(head, &ctx)
            case .body:
                lifecycle.bodyReceived(bodyBytes.count)
                if let request = pending, request.rejection == nil, request.keepsBody {
                    request.body.append(contentsOf: bodyBytes)
                }
            case .end:
                finish(&ctx)
                // Pipelined requests wait while the other connections of the loop get their turn, once this round
                // of the loop has run for a slice: a client cannot hold the loop by sending many requests at once.
                if inputStart < input.count && monotonicNanoseconds() &- ctx.now > lifecycle.policy.slice {
                    yielded = true
                    break parsing
                }
            }
        }
        compactInput()
        updatePhase(ctx.now)
    }

    private func begin(_ head: HTTPRequestHead, _ ctx: inout LoopContext) {
        let core = ctx.core
        let clientID = head.headers.first("X-Request-Id")
        let requestID = clientID.flatMap { RequestIDGenerator.isSane($0) ? $0 : nil } ?? ctx.requestIDs.next()
        let request = PendingRequest(head: head, requestID: requestID, startedAt: ctx.now, omitBody: head.method == "HEAD")

        if core.draining.load(ordering: .relaxed) {
            reject(request, HTTPError.unavailable("The server is shutting down."), &ctx)
            return
        }
        switch core.router.resolve(method: head.method, path: head.path) {
        case .notFound:
            reject(request, HTTPError.notFound(path: head.path), &ctx)
        case .methodNotAllowed(let allow):
            request.labelIndex = core.router.labelIndex(path: head.path)
            reject(request, HTTPError.methodNotAllowed(method: head.method, allow: allow), &ctx)
        case .options(let allow):
            request.labelIndex = core.router.labelIndex(path: head.path)
            request.rejection = HTTPResponse(status: 204, headers: [HTTPField(name: "Allow", value: allow.joined(separator: ", "))])
            settle(request, &ctx)
        case .handler(let route, let parameters, let isHead):
            request.omitBody = isHead
            request.labelIndex = route.labelIndex
            do {
                let takesContent = !Self.isContentless(head.method)
                let admitted = try route.handler.admit(head, parameters: parameters)
                let limit = try bodyLimit(head, admitted, takesContent, core)
                let admission = try route.handler.admitBody(head, admitted)
                // A body the handler keeps is memory: it must fit the budget of bodies in flight before any of it is
                // read. A chunked body has no declared length, so it holds its route's limit.
                if takesContent {
                    let needed: Int
                    switch head.framing {
                    case .none: needed = 0
                    case .contentLength(let length): needed = length
                    case .chunked: needed = limit
                    }
                    guard core.bodyBudget.reserve(needed) else {
                        ctx.metrics?.countRefusal(.bodyBudget)
                        // Reading the body to drop it would take in the very bytes the budget refuses.
                        reject(request, HTTPError.bodyBudgetFull(retryAfter: core.configuration.retryAfterSeconds), readingBody: false, &ctx)
                        return
                    }
                    request.reservedBodyBytes = needed
                }
                parser.maxBodyBytes = limit
                request.keepsBody = takesContent
                request.route = route
                request.parameters = parameters
                request.admission = admission
                if takesContent, case .contentLength(let length) = head.framing { request.body.reserveCapacity(length) }
                if head.expectsContinue && head.framing != .none {
                    ResponseWriter.writeContinue(requestID: requestID, date: ctx.dateCache.current(), into: &output)
                }
                pending = request
            } catch {
                reject(request, error, &ctx)
            }
        }
    }

    /// The body limit of a request `admission` lets through: the route's (the server's `limits.maxBodyBytes` unless
    /// the admission names its own), or for a method that takes no content the smaller limit of bodies read and
    /// dropped (API.md: limits). The one place a body's size is checked: a declared length over the limit is 413
    /// here, before any body byte is read and before `admitBody` (API.md: 413 before 415); the parser holds a
    /// chunked body to it.
    private func bodyLimit(
        _ head: HTTPRequestHead, _ admission: HTTPAdmission, _ takesContent: Bool, _ core: ServerCore
    ) throws(HTTPError) -> Int {
        let routeLimit = admission.maxBodyBytes ?? core.configuration.limits.maxBodyBytes
        let limit = takesContent ? routeLimit : min(routeLimit, core.configuration.maxUnusedBodyBytes)
        if case .contentLength(let length) = head.framing, length > limit {
            // Named: the route's limit when the body is over it, else the limit of bodies read and dropped.
            throw HTTPError.payloadTooLarge(limit: length > routeLimit ? routeLimit : limit)
        }
        return limit
    }

    /// Whether requests of `method` carry no content (RFC 9110 §9.3): a body sent with them is read and dropped.
    private static func isContentless(_ method: String) -> Bool {
        // Compared, not hashed: this runs on every request.
        method == "GET" || method == "HEAD" || method == "DELETE" || method == "OPTIONS"
    }

    /// Turns a failure decided from the head into the pending response.
    private func reject(_ request: PendingRequest, _ error: any Error, readingBody: Bool = true, _ ctx: inout LoopContext) {
        request.rejection = render(error, requestID: request.requestID, ctx.core)
        if ctx.core.draining.load(ordering: .relaxed) { request.rejection?.closeConnection = true }
        settle(request, readingBody: readingBody, &ctx)
    }

    /// A rejected request either waits for its (small, bounded) body to be read and dropped, or is
    /// answered at once and the connection closed, when reading the body is not worth it.
    private func settle(_ request: PendingRequest, readingBody: Bool = true, _ ctx: inout LoopContext) {
        let discardable: Bool
        switch request.head.framing {
        case .none: discardable = true
        case .contentLength(let n): discardable = readingBody && !request.head.expectsContinue && n <= ctx.core.configuration.maxUnusedBodyBytes
        case .chunked: discardable = false
        }
        if discardable {
            pending = request
        } else {
            request.rejection?.closeConnection = true
            pending = request
            finish(&ctx)
        }
    }

    private func finish(_ ctx: inout LoopContext) {
        guard let request = pending.take() else { return }
        var response: HTTPResponse
        if let rejection = request.rejection {
            response = rejection
        } else if let route = request.route {
            // The body and parameters move on into the handler's request: copies would retain them.
            var body: [UInt8] = []
            var parameters: [String: String] = [:]
            swap(&body, &request.body)
            swap(&parameters, &request.parameters)
            let full = HTTPRequest(
                head: request.head, parameters: parameters, body: body,
                requestID: request.requestID, context: request.admission?.context)
            if let deferred = route.deferral {
                switch deferred.answer(full) {
                case .now(.success(let value)):
                    response = value
                case .now(.failure(let error)):
                    response = render(error, requestID: request.requestID, ctx.core)
                case .later(let start):
                    let cancellation = WorkCancellation()
                    request.cancellation = cancellation
                    awaiting = request
                    let core = ctx.core
                    start(HTTPCompletion(
                        mailbox: ctx.mailbox, connectionSerial: serial, fd: fd, cancellation: cancellation,
                        pool: core.workers, retryAfterSeconds: core.configuration.retryAfterSeconds))
                    return
                }
            } else {
                do {
                    response = try route.handler.respond(to: full)
                } catch {
                    response = render(error, requestID: request.requestID, ctx.core)
                }
            }
        } else {
            response = render(HTTPError.internalError(requestID: request.requestID), requestID: request.requestID, ctx.core)
        }
        emit(response, for: request, &ctx)
    }

    /// Writes the deferred response of the awaited request.
    func complete(_ result: Result<HTTPResponse, any Error>, _ ctx: inout LoopContext) {
        guard let request = awaiting.take() else { return }
        let response: HTTPResponse
        switch result {
        case .success(let value): response = value
        case .failure(let error): response = render(error, requestID: request.requestID, ctx.core)
        }
        emit(response, for: request, &ctx)
    }

    private func emit(_ response: HTTPResponse, for request: PendingRequest, _ ctx: inout LoopContext) {
        release(request, ctx.core)
        let draining = ctx.core.draining.load(ordering: .relaxed)
        let keepAlive = request.head.keepAlive && !response.closeConnection && !draining && !lifecycle.peerClosed
        let http10KeepAlive = keepAlive && request.head.version.minor == 0
        let outputBefore = output.count
        ResponseWriter.write(
            response, requestID: request.requestID, date: ctx.dateCache.current(), keepAlive: keepAlive,
            http10KeepAlive: http10KeepAlive, omitBody: request.omitBody, into: &output)
        if !keepAlive { lifecycle.closeAfterResponse() }
        // The output just queued reaches the lifecycle with the parser's state, in the `process` that always follows.
        lifecycle.requestAnswered(now: ctx.now)
        account(
            request, status: response.status, bytes: output.count - outputBefore, requestID: request.requestID,
            failure: nil, &ctx)
    }

    /// Gives back what `request` holds of the server's budgets.
    private func release(_ request: PendingRequest, _ core: ServerCore) {
        core.bodyBudget.release(request.reservedBodyBytes)
        request.reservedBodyBytes = 0
    }

    /// The peer has gone (or half-closed): work still queued for it is dropped.
    func peerDidClose() {
        lifecycle.peerDidClose()
        awaiting?.cancellation?.cancel()
    }

    /// Lets go of everything the connection holds of the server's budgets; it is being closed.
    func tearDown(_ core: ServerCore) {
        if let request = pending { release(request, core) }
        if let request = awaiting {
            request.cancellation?.cancel()
            release(request, core)
        }
        pending = nil
        awaiting = nil
        core.outputBudget.adjust(by: -accountedOutput)
        accountedOutput = 0
    }

    /// Counts unsent output against the output budget (only output a client has left unread: none in the
    /// usual case, so the usual response touches no shared counter).
    func accountOutput(_ core: ServerCore) {
        let unsent = pendingOutput
        guard unsent != accountedOutput else { return }
        core.outputBudget.adjust(by: unsent - accountedOutput)
        accountedOutput = unsent
    }

    /// Answers a protocol violation and closes: the rest of the stream cannot be framed safely.
    private func fail(with error: HTTPParseError, _ ctx: inout LoopContext) {
        let requestID = pending?.requestID ?? ctx.requestIDs.next()
        var response = render(error, requestID: requestID, ctx.core)
        response.closeConnection = true
        let outputBefore = output.count
        ResponseWriter.write(
            response, requestID: requestID, date: ctx.dateCache.current(), keepAlive: false,
            http10KeepAlive: false, omitBody: pending?.omitBody ?? false, into: &output)
        lifecycle.closeAfterResponse()
        account(
            pending, status: response.status, bytes: output.count - outputBefore, requestID: requestID,
            failure: error.reason, &ctx)
        if let request = pending { release(request, ctx.core) }
        pending = nil
    }

    /// Answers a timeout (408) or a refusal (503) outside any parse step, then closes.
    func failOutsideRequest(_ error: HTTPError, _ ctx: inout LoopContext) {
        let requestID = pending?.requestID ?? ctx.requestIDs.next()
        var response = render(error, requestID: requestID, ctx.core)
        response.closeConnection = true
        ResponseWriter.write(
            response, requestID: requestID, date: ctx.dateCache.current(), keepAlive: false,
            http10KeepAlive: false, omitBody: false, into: &output)
        lifecycle.closeAfterResponse()
        // Counted, not logged: a timeout or a refused connection is no request a log line could describe.
        let now = ctx.now
        ctx.metrics?.countRequest(
            route: pending?.labelIndex ?? 0,
            method: pending.map { MetricLabels.methodSlot($0.head.method) } ?? MetricLabels.otherMethod,
            status: response.status, nanoseconds: pending.map { now &- $0.startedAt } ?? 0)
        if let request = pending { release(request, ctx.core) }
        pending = nil
        lifecycle.outputQueued(pending: pendingOutput, now: ctx.now)
    }

    private func render(_ error: any Error, requestID: String, _ core: ServerCore) -> HTTPResponse {
        if let known = error as? any HTTPResponseError {
            return core.renderError(known, requestID)
        }
        return core.renderError(HTTPError.internalError(requestID: requestID), requestID)
    }

    /// Counts an answered request in the loop's metrics and queues its access-log line. `request` is nil for a
    /// protocol failure before any head was parsed: it counts as `unmatched`, method `other`.
    private func account(
        _ request: PendingRequest?, status: Int, bytes: Int, requestID: String, failure: String?, _ ctx: inout LoopContext
    ) {
        let logs = ctx.core.accessLog != nil
        guard ctx.metrics != nil || logs else { return }
        let elapsed = request.map { monotonicNanoseconds() &- $0.startedAt } ?? 0
        let route = request?.labelIndex ?? 0
        ctx.metrics?.countRequest(
            route: route, method: request.map { MetricLabels.methodSlot($0.head.method) } ?? MetricLabels.otherMethod,
            status: status, nanoseconds: elapsed)
        guard logs else { return }
        let labels = ctx.core.routeLabels
        let record = AccessRecord(
            method: request?.head.method, path: request?.head.path,
            route: route < labels.count ? labels[route] : MetricLabels.unmatchedRoute, status: status, requestID: requestID, microseconds: elapsed / 1000, bytes: bytes, failure: failure)
        record.append(to: &ctx.logLines, format: ctx.core.configuration.logFormat)
    }

    // MARK: Buffers and timeouts

    private func compactInput() {
        if inputStart == input.count {
            input.removeAll(keepingCapacity: input.capacity <= 256 * 1024)
            inputStart = 0
        } else if inputStart > 64 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    /// Tells the lifecycle what the parser waits for now and how much input is left unparsed.
    private func updatePhase(_ now: UInt64) {
        let next: ConnectionLifecycle.Phase
        if awaiting != nil {
            next = .responding
        } else if pending != nil {
            next = .body
        } else if inputStart < input.count {
            next = .head
        } else {
            next = .idle
        }
        lifecycle.parsed(waitingFor: next, buffered: input.count - inputStart, now: now)
        lifecycle.outputQueued(pending: pendingOutput, now: now)
    }

    /// Marks output as consumed after a successful `send`.
    func consumeOutput(_ n: Int, now: UInt64) {
        assert(n > 0 && n <= pendingOutput, "a send takes no more than the pending output")
        outputStart += n
        if outputStart == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 256 * 1024)
            outputStart = 0
        } else if outputStart > 256 * 1024 {
            output.removeFirst(outputStart)
            outputStart = 0
        }
        lifecycle.outputSent(pending: pendingOutput, now: now)
    }

    /// Whether received bytes wait to be parsed.
    var hasUnparsedInput: Bool { inputStart < input.count }
}
