import Synchronization

/// State shared by all event loops of one server.
final class ServerCore: Sendable {
    let configuration: HTTPServerConfiguration
    let router: HTTPRouter
    let renderError: HTTPErrorRenderer
    let accessLog: AccessLog?
    let openConnections = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)
    /// Connections allowed at once: the configured cap, lowered to fit the descriptor limit.
    let connectionLimit: Int
    /// The timing and flow-control rules every connection follows.
    let lifecyclePolicy: ConnectionLifecycle.Policy
    /// Bytes of request bodies reserved by connections.
    let bodyBudget: ByteBudget
    /// Bytes of responses waiting for clients that do not read them.
    let outputBudget: ByteBudget
    /// Where slow work runs.
    let workers: WorkerPool
    /// Where the loops' counters are summed when scraped; nil: nothing is counted.
    let metrics: HTTPMetrics?
    /// The router's `routeLabels`, for metrics and log lines.
    let routeLabels: [String]

    init(configuration: HTTPServerConfiguration, router: HTTPRouter, renderError: @escaping HTTPErrorRenderer,
         accessLog: AccessLog?, metrics: HTTPMetrics?, connectionLimit: Int, cores: Int) {
        self.configuration = configuration
        self.router = router
        self.metrics = metrics
        routeLabels = router.routeLabels
        self.renderError = renderError
        self.accessLog = accessLog
        self.connectionLimit = connectionLimit
        lifecyclePolicy = ConnectionLifecycle.Policy(configuration)
        bodyBudget = ByteBudget(limit: configuration.bodyBudgetBytes)
        let outputBudget = ByteBudget(limit: configuration.outputBudgetBytes)
        self.outputBudget = outputBudget
        workers = WorkerPool(
            workers: configuration.workers > 0 ? configuration.workers : cores,
            queueLimit: configuration.slowQueueLimit, perKeyLimit: configuration.slowWaitingPerKey,
            outputBudget: outputBudget)
    }
}
