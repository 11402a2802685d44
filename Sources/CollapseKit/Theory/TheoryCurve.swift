/// A closed-form prediction of one metric's replicate mean, E[metric_t] for
/// t = 0 … G, with the source it comes from.
public struct TheoryCurve: Equatable, Sendable {
    public var metric: MetricName
    /// E[metric_t], index t.
    public var values: [Double]
    /// Paper and equation (or derivation) the formula comes from.
    public var source: String
}

/// Every closed-form prediction the literature gives for a configuration. A metric
/// gets a curve only when its formula holds exactly for that configuration (family,
/// estimator, policy, real data, sampling bias); everything else has none.
public enum Theory {
    /// The curves for `config`, restricted to its requested metrics, sorted by metric.
    /// None with a policy step: the closed forms are for the plain policies.
    public static func curves(for config: ExperimentConfig) -> [TheoryCurve] {
        guard config.policy.steps.isEmpty else { return [] }
        let curves = config.model.descriptor.theory(config)
        let requested = Set(config.metrics)
        return curves.filter { requested.contains($0.metric) }.sorted { $0.metric < $1.metric }
    }
}
