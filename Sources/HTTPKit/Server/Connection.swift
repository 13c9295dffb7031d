import Glibc

/// Per-loop services a connection uses while processing: clock, date cache, ids, log buffer.
struct LoopContext {
    let core: ServerCore
    let mailbox: LoopMailbox
    var now: UInt64 = monotonicNanoseconds()
    var dateCache = HTTPDateCache()
    var requestIDs = RequestIDGenerator()
    var logLines: [UInt8] = []
}

/// A request whose head has been parsed and whose body is still arriving. A class: the connection checks and
/// hands on its request several times per request, and copying a value this size (head, response, existentials)
/// cost more than the one allocation.
final class PendingRequest {
    let head: HTTPRequestHead
    let requestID: String
    let startedAt: UInt64
    /// Set when the response was decided from the head alone; the body is then read and dropped.
    var rejection: HTTPResponse?
    var route: HTTPRoute?
    var parameters: [String: String] = [:]
    var admission: HTTPAdmission?
    var omitBody: Bool
    var body: [UInt8] = []

    init(head: HTTPRequestHead, requestID: String, startedAt: UInt64, omitBody: Bool) {
        self.head = head
        self.requestID = requestID
        self.startedAt = startedAt
        self.omitBody = omitBody
    }
}

/// One client connection: buffers, parser and the request in progress. Owned by one event loop
/// thread; never touched from another.
final class Connection {
    /// What the connection is waiting for, which decides its timeout.
    enum Phase { case fresh, idle, head, body, responding }

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
    var phase: Phase = .fresh
    var phaseStartedAt: UInt64
    var lastReadAt: UInt64
    var lastWriteProgressAt: UInt64
    /// No more requests are read: the last response closes the connection.
    var closeAfterWrite = false
    /// Our side has sent FIN; input is drained and dropped until the peer closes (lingering close).
    var lingeringSince: UInt64?
    /// The peer sent FIN: answer what was received, then close.
    var peerClosed = false
    var readPaused = false
    var interest: UInt32 = 0
    /// Whether the loop will flush this connection once it has served the current batch of events.
    var flushScheduled = false

    init(fd: Int32, serial: UInt64, limits: HTTPLimits, now: UInt64) {
        self.fd = fd
        self.serial = serial
        self.parser = HTTPRequestParser(limits: limits)
        self.phaseStartedAt = now
        self.lastReadAt = now
        self.lastWriteProgressAt = now
    }

    var pendingOutput: Int { output.count - outputStart }

    // MARK: Processing

    /// Parses and answers every complete request in the input buffer, in order, until the input is
    /// exhausted, the connection is closing, or too much output is pending (back-pressure).
    func process(_ ctx: inout LoopContext) {
        let highWater = ctx.core.configuration.outputHighWaterBytes
        while !closeAfterWrite && lingeringSince == nil && awaiting == nil && pendingOutput < highWater {
            var bodyBytes: ArraySlice<UInt8> = []
            let start = inputStart
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
            if case .body(let range) = step.event {
                bodyBytes = input[(inputStart + range.lowerBound)..<(inputStart + range.upperBound)]
            }
            inputStart += step.consumed
            switch step.event {
            case .needMoreData:
                compactInput()
                updatePhase(ctx.now)
                return
            case .head(let head):
                begin(head, &ctx)
            case .body:
                if pending?.rejection == nil {
                    pending?.body.append(contentsOf: bodyBytes)
                }
            case .end:
                finish(&ctx)
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
            reject(request, HTTPError.methodNotAllowed(method: head.method, allow: allow), &ctx)
        case .options(let allow):
            request.rejection = HTTPResponse(status: 204, headers: [HTTPField(name: "Allow", value: allow.joined(separator: ", "))])
            settle(request, &ctx)
        case .handler(let route, let parameters, let isHead):
            request.omitBody = isHead
            do {
                let admission = try route.handler.admit(head, parameters: parameters)
                if case .contentLength(let length) = head.framing, length > admission.maxBodyBytes {
                    throw HTTPError.payloadTooLarge(limit: admission.maxBodyBytes)
                }
                parser.maxBodyBytes = admission.maxBodyBytes
                request.route = route
                request.parameters = parameters
                request.admission = admission
                if case .contentLength(let length) = head.framing { request.body.reserveCapacity(length) }
                if head.expectsContinue && head.framing != .none {
                    ResponseWriter.writeContinue(requestID: requestID, date: ctx.dateCache.current(), into: &output)
                }
                pending = request
            } catch {
                reject(request, error, &ctx)
            }
        }
    }

    /// Turns a failure decided from the head into the pending response.
    private func reject(_ request: PendingRequest, _ error: any Error, _ ctx: inout LoopContext) {
        request.rejection = render(error, requestID: request.requestID, ctx.core)
        if ctx.core.draining.load(ordering: .relaxed) { request.rejection?.closeConnection = true }
        settle(request, &ctx)
    }

    /// A rejected request either waits for its (small, bounded) body to be read and dropped, or is
    /// answered at once and the connection closed, when reading the body is not worth it.
    private func settle(_ request: PendingRequest, _ ctx: inout LoopContext) {
        let discardable: Bool
        switch request.head.framing {
        case .none: discardable = true
        case .contentLength(let n): discardable = !request.head.expectsContinue && n <= 64 * 1024
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
            if let deferred = route.deferral, deferred.defers(full) {
                awaiting = request
                phase = .responding
                deferred.respond(to: full, completion: HTTPCompletion(mailbox: ctx.mailbox, connectionSerial: serial, fd: fd))
                return
            }
            do {
                response = try route.handler.respond(to: full)
            } catch {
                response = render(error, requestID: request.requestID, ctx.core)
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
        let draining = ctx.core.draining.load(ordering: .relaxed)
        let keepAlive = request.head.keepAlive && !response.closeConnection && !draining && !peerClosed
        let http10KeepAlive = keepAlive && request.head.version.minor == 0
        ResponseWriter.write(
            response, requestID: request.requestID, date: ctx.dateCache.current(), keepAlive: keepAlive,
            http10KeepAlive: http10KeepAlive, omitBody: request.omitBody, into: &output)
        if !keepAlive { closeAfterWrite = true }
        phase = .idle
        phaseStartedAt = ctx.now
        log(request, status: response.status, &ctx)
    }

    /// Answers a protocol violation and closes: the rest of the stream cannot be framed safely.
    private func fail(with error: HTTPParseError, _ ctx: inout LoopContext) {
        let requestID = pending?.requestID ?? ctx.requestIDs.next()
        var response = render(error, requestID: requestID, ctx.core)
        response.closeConnection = true
        ResponseWriter.write(
            response, requestID: requestID, date: ctx.dateCache.current(), keepAlive: false,
            http10KeepAlive: false, omitBody: pending?.omitBody ?? false, into: &output)
        closeAfterWrite = true
        let head = pending?.head
        let line = "\(head?.method ?? "-") \(head?.path ?? "-") \(response.status) - \(requestID) \(error.reason)\n"
        ctx.logLines.append(contentsOf: line.utf8)
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
        closeAfterWrite = true
        pending = nil
    }

    private func render(_ error: any Error, requestID: String, _ core: ServerCore) -> HTTPResponse {
        if let known = error as? any HTTPResponseError {
            return core.renderError(known, requestID)
        }
        return core.renderError(HTTPError.internalError(requestID: requestID), requestID)
    }

    private func log(_ request: PendingRequest, status: Int, _ ctx: inout LoopContext) {
        guard ctx.core.accessLog != nil else { return }
        let micros = (monotonicNanoseconds() &- request.startedAt) / 1000
        let millis = "\(micros / 1000).\(String(micros % 1000 + 1000).dropFirst())"
        let line = "\(request.head.method) \(request.head.path) \(status) \(millis)ms \(request.requestID)\n"
        ctx.logLines.append(contentsOf: line.utf8)
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

    private func updatePhase(_ now: UInt64) {
        let next: Phase
        if awaiting != nil {
            next = .responding
        } else if pending != nil {
            next = .body
        } else if inputStart < input.count {
            next = .head
        } else {
            next = phase == .fresh ? .fresh : .idle
        }
        if next != phase {
            phase = next
            phaseStartedAt = now
        }
    }

    /// Marks output as consumed after a successful `send`.
    func consumeOutput(_ n: Int, now: UInt64) {
        outputStart += n
        lastWriteProgressAt = now
        if outputStart == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 256 * 1024)
            outputStart = 0
        } else if outputStart > 256 * 1024 {
            output.removeFirst(outputStart)
            outputStart = 0
        }
    }
}
