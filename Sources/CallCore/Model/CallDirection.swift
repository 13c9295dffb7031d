/// Which side placed the call.
public enum CallDirection: String, Sendable, CaseIterable, CallEnumeration {
    /// The customer called in.
    case inbound = "INBOUND"
    /// The agent called out.
    case outbound = "OUTBOUND"
}
