import CallCore

/// Runs the tools against one version of the store, for one organization, exactly as the REST routes read it.
enum MCPCallTools {
    /// `list_calls`: the page of `query`, whose `data` is the REST route's.
    static func list(
        _ query: ListQuery, organizationID: String, on store: IndexedCallStore, cursors: ListCursorSigner, id: JSONRPCID
    ) -> [UInt8] {
        let answer: ListAnswer
        do throws(APIError) {
            answer = try store.answer(query, organizationID: organizationID, signer: cursors)
        } catch {
            return MCPToolResult.failure(id: id, error)
        }
        let page = answer.page
        var writer = JSONWriter()
        ListResponseWriter.writeData(
            query: query, organizationID: organizationID, page: page, nextCursor: answer.nextCursor,
            appliedFilters: answer.appliedFilters, into: &writer)
        return MCPToolResult.success(id: id, data: writer.bytes)
    }

    /// `list_changes`: the changes page of `request`, whose `data` is the REST route's.
    static func changes(_ request: ChangesRequest, organizationID: String, repository: CallRepository, id: JSONRPCID) -> [UInt8] {
        let log = repository.changes
        let answer: ChangesAnswer
        do throws(APIError) {
            answer = try log.answer(request, organizationID: organizationID, signer: repository.changesTokens)
        } catch {
            return MCPToolResult.failure(id: id, error)
        }
        var writer = JSONWriter()
        ChangesResponseWriter.writeData(
            page: answer.page, nextSince: answer.nextSince, organizationID: organizationID,
            includeTranscript: request.includeTranscript, into: &writer)
        return MCPToolResult.success(id: id, data: writer.bytes)
    }

    /// `get_call`: the call with its transcript, or `not_found` (also for another organization's call).
    static func get(_ callID: String, organizationID: String, on store: IndexedCallStore, id: JSONRPCID) -> [UInt8] {
        guard let call = store.call(organizationID: organizationID, callID: callID) else {
            return MCPToolResult.failure(id: id, APIError.callNotFound(callID))
        }
        return MCPToolResult.success(id: id, data: CallJSON.bytes(call, includeTranscript: true))
    }
}
