/// How a call was placed.
public enum CallType: String, Sendable, CaseIterable, CallEnumeration {
    /// Over the telephone network.
    case phoneCall = "PHONE_CALL"
    /// From a browser.
    case webCall = "WEB_CALL"
}
