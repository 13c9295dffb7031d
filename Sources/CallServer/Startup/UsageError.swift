/// A command-line or environment value that could not be used; the message names it.
struct UsageError: Error, CustomStringConvertible {
    var description: String
}
