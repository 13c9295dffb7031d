import HTTPKit

/// The authenticated caller of a request.
struct Principal: Sendable {
    var key: String
    var organizationID: String
    var scopes: Set<String>

    /// Whose share of the slow-work pool this caller's work takes.
    var workOwner: WorkOwner { WorkOwner(tenant: organizationID, key: key) }
}
