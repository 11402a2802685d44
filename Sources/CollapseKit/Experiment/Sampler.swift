/// `sampler:` — how a chain produces each generation's training data.
///
/// - `samples`: the model really generates its points (categories, vectors, regression
///   pairs) and the next model is fitted to them. For the Gaussian, categorical and
///   linear-regression families the points are reduced to the fit's sufficient
///   statistics as they are drawn (``StatisticsChainRunner``), so the Gaussian and
///   categorical keep no array unless a metric, a snapshot or the policy needs the
///   points.
/// - `statistics`: where a family's fit depends on its data only through sufficient
///   statistics (Gaussian: count, mean and scatter; categorical: counts), those
///   statistics are drawn exactly from their sampling distribution instead (mean ~
///   normal, scatter ~ Wishart/χ², counts ~ multinomial), at a cost per generation that
///   does not grow with `samples`. Same distribution of every model-based metric, other
///   random numbers. One difference at the limit of double precision: drawn points
///   all round to the model mean once its standard deviation falls below the mean's
///   resolution (≈ 10⁻¹⁶·|μ|), so `samples` records `variance_collapsed` there, while
///   exact statistics keep a positive variance until it underflows (≈ 10⁻³⁰⁸).
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
            return "model.family \(model.family.rawValue) has no exact statistics sampler (only gaussian and categorical)"
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
