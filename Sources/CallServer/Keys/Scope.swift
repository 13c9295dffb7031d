/// The permissions a key can carry (API.md "Authentication").
enum Scope {
    static let read = "calls:read"
    static let write = "calls:write"
    static let all: Set<String> = [read, write]
}
