/// Whom a piece of slow work is done for: shares of the pool are fair between tenants first, then between the
/// keys of one tenant.
public struct WorkOwner: Sendable, Hashable {
    /// The organization (or other tenant) the work is for.
    public var tenant: String
    /// The credential that asked for it.
    public var key: String

    /// Creates an owner.
    public init(tenant: String, key: String) {
        self.tenant = tenant
        self.key = key
    }
}
