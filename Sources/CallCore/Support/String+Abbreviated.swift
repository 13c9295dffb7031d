extension String {
    /// The text cut to its first 64 characters (Unicode scalars) with an ellipsis, for echoing a client's input in a
    /// message: a key, a method or a tool name may be a megabyte long.
    public var abbreviatedForMessage: String {
        let limit = 64
        guard unicodeScalars.count > limit else { return self }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: unicodeScalars.prefix(limit))
        return String(scalars) + "…"
    }
}
