/// The admitted caller and the decoded `call_id`, handed from `admit` to `respond`.
struct CallRequestContext: Sendable {
    var principal: Principal
    var callID: String
}
