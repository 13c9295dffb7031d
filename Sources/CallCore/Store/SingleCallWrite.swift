/// A `PUT`, `PATCH` or `DELETE` of one call, decided by `CallRepository.write` against the latest state (queued
/// writes included), so `If-Match` compares with the call as the write will find it.
public struct SingleCallWrite: Sendable {
    /// Which of the three writes.
    public enum Kind: Sendable { case put, patch, delete }

    /// What a single-call write answers once durable: the call it stored (or removed) and the response's shape.
    public struct Outcome: Sendable {
        /// The stored call; for a delete, the removed one.
        public var call: Call
        /// 201 for a create, 200 otherwise.
        public var status: Int
        /// The envelope's message.
        public var message: String
        /// Where a created call lives.
        public var location: String?
    }

    let kind: Kind
    let organizationID: String
    let callID: String
    let ifMatch: [String]
    let body: [UInt8]
    /// A PUT body does not depend on the stored call (but for its id, set when deciding), so it is decoded before
    /// the write lock; its errors still answer after `If-Match`'s 412 (RFC 9110 §13.2.1).
    let putBody: Result<Call, APIError>?

    /// A write of `callID` in `organizationID` with the request's `If-Match` values and body.
    public init(kind: Kind, organizationID: String, callID: String, ifMatch: [String], body: [UInt8]) {
        self.kind = kind
        self.organizationID = organizationID
        self.callID = callID
        self.ifMatch = ifMatch
        self.body = body
        putBody = kind == .put
            ? Result { () throws(APIError) in
                try CallRecordDecoder.decodePutBody(body, pathCallID: callID, organizationID: organizationID, id: "")
            }
            : nil
    }

    /// The mutations and the answer, from the latest state and the write's time (milliseconds).
    public func decide(latest: (String, String) -> Call?, now: Int64) throws(APIError) -> CallRepository.Decision<Outcome> {
        let current = latest(organizationID, callID)
        guard CallETag.ifMatchHolds(ifMatch, current: current) else { throw CallETag.preconditionFailed }
        switch kind {
        case .put:
            guard var call = try putBody?.get() else { throw .callNotFound(callID) }
            call.id = current?.id ?? CallRecordDecoder.newID()
            let stored = call.written(over: current, at: now)
            // A replacement that changes nothing answers with the stored call as it is (same stamp, same ETag).
            let outcome = current == nil
                ? Outcome(call: stored ?? call, status: 201, message: "Call created successfully", location: "/api/calls/\(callID)")
                : Outcome(call: stored ?? current ?? call, status: 200, message: "Call replaced successfully")
            return .init(mutations: stored.map { [.upsert($0)] } ?? [], outcome: outcome)
        case .patch:
            guard let current else { throw .callNotFound(callID) }
            let stored = try CallRecordDecoder.decodePatchBody(body, current: current).written(over: current, at: now)
            return .init(
                mutations: stored.map { [.upsert($0)] } ?? [],
                outcome: Outcome(call: stored ?? current, status: 200, message: "Call updated successfully"))
        case .delete:
            guard let current else { throw .callNotFound(callID) }
            return .init(
                mutations: [.delete(organizationID: organizationID, callID: callID, deletedAt: max(now, current.updatedTimestamp))],
                outcome: Outcome(call: current, status: 200, message: "Call deleted successfully"))
        }
    }
}
