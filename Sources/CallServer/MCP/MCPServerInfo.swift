import CallCore

/// What `initialize` tells a client about this server: the revision, the one capability (tools), who it is, and
/// instructions for the model using it.
enum MCPServerInfo {
    /// The name clients show.
    static let name = "CallServer"
    /// The version of the server's MCP interface.
    static let version = "1.0.0"

    static let instructions = """
        This server holds the phone and web calls of one organization (the one your API key belongs to): for \
        each call its status (SCHEDULED, REGISTERED, ONGOING, ENDED, ERROR), type, direction, agent, phone \
        numbers, start and end times, duration and the transcript of what was said. Use list_calls to find calls \
        by any of those fields or by words in the transcript, sorted and a page at a time, with exact totals; use \
        get_call to read one call with its full transcript. Both tools only read; times are milliseconds.
        """

    /// `initialize`'s result for `revision`.
    static func initializeResult(_ revision: String) -> JSONValue {
        [
            "protocolVersion": .string(revision),
            // The tool list never changes while the server runs.
            "capabilities": ["tools": ["listChanged": false]],
            "serverInfo": ["name": .string(name), "title": "CallServer call API", "version": .string(version)],
            "instructions": .string(instructions),
        ]
    }
}
