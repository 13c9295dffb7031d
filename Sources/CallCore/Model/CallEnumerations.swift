/// The lifecycle state of a call.
public enum CallStatus: String, Sendable, CaseIterable, CallEnumeration {
    /// Planned, not started.
    case scheduled = "SCHEDULED"
    /// Registered with the platform, not started.
    case registered = "REGISTERED"
    /// In progress.
    case ongoing = "ONGOING"
    /// Finished normally; carries an `end_timestamp`.
    case ended = "ENDED"
    /// Finished with an error; carries an `end_timestamp`.
    case error = "ERROR"

    /// Whether a call in this state has ended and so must carry `end_timestamp` (and any other state must not).
    public var hasEnded: Bool { self == .ended || self == .error }
}

/// How a call was placed.
public enum CallType: String, Sendable, CaseIterable, CallEnumeration {
    /// Over the telephone network.
    case phoneCall = "PHONE_CALL"
    /// From a browser.
    case webCall = "WEB_CALL"
}

/// Which side placed the call.
public enum CallDirection: String, Sendable, CaseIterable, CallEnumeration {
    /// The customer called in.
    case inbound = "INBOUND"
    /// The agent called out.
    case outbound = "OUTBOUND"
}

/// An enumeration of the call record whose raw value is its upper-case wire name and whose input is case-insensitive.
public protocol CallEnumeration: RawRepresentable<String>, CaseIterable, Sendable, Hashable {}

extension CallEnumeration {
    /// Parses a wire name in any ASCII case (`ended`, `Ended`, `ENDED`); anything else is nil.
    /// Only ASCII letters fold, so look-alikes such as the dotless `ı` are not accepted as `I`.
    public init?(caseInsensitive text: String) {
        // Most input is already upper case: try the exact spelling before folding.
        if let exact = Self(rawValue: text) {
            self = exact
            return
        }
        for candidate in Self.allCases where ASCIICase.equalIgnoringCase(candidate.rawValue, text) {
            self = candidate
            return
        }
        return nil
    }

    /// The upper-case names joined for error messages ("SCHEDULED, REGISTERED, …").
    public static var namesForMessages: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}

/// ASCII-only case folding, so that enumeration parsing never depends on Unicode case rules.
enum ASCIICase {
    static func equalIgnoringCase(_ upper: String, _ text: String) -> Bool {
        let a = upper.utf8
        let b = text.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in
            x == y || (y >= UInt8(ascii: "a") && y <= UInt8(ascii: "z") && x == y - 32)
                || (x >= UInt8(ascii: "a") && x <= UInt8(ascii: "z") && y == x - 32)
        }
    }
}
