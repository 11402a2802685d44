/// `sampler:` — how a chain produces each generation's training data.
///
/// - `samples`: the model really generates its points (categories, vectors) and the
///   next model is fitted to them. For the Gaussian and categorical families the
///   points are reduced to the fit's sufficient statistics as they are drawn, so no
///   array is kept unless a metric, a snapshot or the policy needs the points.
/// - `statistics`: where a family's fit depends on its data only through sufficient
///   statistics (Gaussian: count, mean and scatter; categorical: counts), those
///   statistics are drawn exactly from their sampling distribution instead (mean ~
///   normal, scatter ~ Wishart/χ², counts ~ multinomial), at a cost per generation that
///   does not grow with `samples`. Same distribution of every model-based metric, other
///   random numbers.
/// - `auto` (default): `statistics` when it applies (``ExperimentConfig/statisticsUnavailableReason``
///   is nil), else `samples`.
public enum SamplerChoice: String, CaseIterable, Sendable {
    case auto, samples, statistics
}

/// The sampler a resolved config runs with.
public enum Sampler: String, CaseIterable, Sendable {
    case samples, statistics
}

extension ExperimentConfig {
    /// Why the exact-statistics sampler cannot run this config, or nil when it can.
    public var statisticsUnavailableReason: String? {
        switch model.family {
        case .gaussian, .categorical: break
        default:
            return "model.family \(model.family.rawValue) has no sufficient-statistic sampler (only gaussian and categorical)"
        }
        if policy.kind == .accumulateSubsample {
            return "policy.kind accumulate_subsample subsamples the points themselves"
        }
        let sampleBased = metrics.filter(\.isSampleMetric)
        if !sampleBased.isEmpty {
            return "metrics \(sampleBased.map(\.rawValue).joined(separator: ", ")) need the generated points"
        }
        if !snapshots.isEmpty { return "output.snapshots needs the generated points" }
        return nil
    }

    /// True when `auto` resolves to `statistics`.
    public var statisticsAvailable: Bool { statisticsUnavailableReason == nil }
}
