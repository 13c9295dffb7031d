/// The kind of a metric family, as its `# TYPE` line names it.
public enum PrometheusType: String, Sendable {
    case counter, gauge, histogram
}
