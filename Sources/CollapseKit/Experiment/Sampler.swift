/// `sampler:` — how a chain produces each generation's training data.
///
/// - `samples`: the model really generates its points (categories, vectors, regression
///   pairs) and the next model is fitted to them. For the Gaussian, categorical and
///   linear-regression families the points are reduced to the fit's sufficient
///   statistics as they are drawn (a `StatisticsRepresentation`), so the Gaussian and
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
    /// What each requested metric needs (from the family's declarations).
    public var requestedMetricInfo: [MetricInfo] {
        let available = model.descriptor.metrics(real: real)
        return metrics.compactMap { name in available.first { $0.name == name } }
    }

    /// Why this config's chains must carry their training sets as points (the policy
    /// subsamples them, a step looks at them, or a metric needs the training set or
    /// R₀), or nil when sufficient statistics can carry them.
    public var trainingPointsReason: String? {
        if let reason = policy.needsPointsReason { return reason }
        if let reason = model.descriptor.statisticsProblem(options: model.options) { return reason }
        let trainingPoints: MetricNeeds = [.training, .initialReal]
        let needing = requestedMetricInfo.filter { !$0.needs.isDisjoint(with: trainingPoints) }
        if let first = needing.first {
            return "metrics \(needing.map(\.name.rawValue).joined(separator: ", ")) need \(first.needs.intersection(trainingPoints).description)"
        }
        return nil
    }

    /// Why the exact-statistics sampler cannot run this config, or nil when it can.
    public var statisticsUnavailableReason: String? {
        if !model.descriptor.hasExactStatistics {
            let exact = Registry.standard.families.filter(\.hasExactStatistics).map(\.name)
            return "model.family \(model.family) has no exact statistics sampler (only \(exact.joined(separator: " and ")))"
        }
        if let reason = trainingPointsReason { return reason }
        let sampleBased = requestedMetricInfo.filter { $0.needs.contains(.batch) }
        if !sampleBased.isEmpty {
            return "metrics \(sampleBased.map(\.name.rawValue).joined(separator: ", ")) need the generated points"
        }
        if !snapshots.isEmpty { return "output.snapshots needs the generated points" }
        return nil
    }

    /// True when `auto` resolves to `statistics`.
    public var statisticsAvailable: Bool { statisticsUnavailableReason == nil }
}
