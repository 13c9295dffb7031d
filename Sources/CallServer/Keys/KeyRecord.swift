/// One API key as stored: the secret only as its SHA-256 hash.
struct KeyRecord: Equatable {
    var key: String
    var secretSHA256: String
    var organizationID: String
    var scopes: [String]
    var createdAt: String
}
