/// One header field of a response.
public struct HTTPField: Sendable, Equatable {
    /// Field name as it will be written.
    public var name: String
    /// Field value; must not contain CR or LF.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
