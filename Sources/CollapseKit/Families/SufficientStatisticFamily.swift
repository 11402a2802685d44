/// A family whose fit depends on its training data only through sufficient statistics
/// (the Gaussian: count, mean, scatter; the categorical: counts; linear regression: the
/// R factor of [X y]). Such a family can run a chain without keeping its training sets
/// (the chain loop on a `StatisticsRepresentation`): under `replace` and `mix` a generation's statistics come
/// straight from the draws, and under `accumulate` the pool is a running merge.
public protocol SufficientStatisticFamily: GenerativeFamily {
    associatedtype Statistics: Sendable

    /// The statistics of a dataset.
    func statistics(of data: Data) -> Statistics
    /// The statistics of the union of two disjoint datasets.
    func merge(_ a: Statistics, _ b: Statistics) -> Statistics
    /// The fit to data with these statistics: `fit(statistics(of: x))` is `fit(x)`
    /// up to rounding.
    func fit(statistics: Statistics) -> Model

    /// The `requested` sample metrics this family computes while drawing, without
    /// keeping the points; the other sample metrics need the points kept.
    func streamedMetrics(for requested: Set<MetricName>) -> Set<MetricName>

    /// Really draws `count` observations from the model (the same draws, in the same
    /// order, as ``GenerativeFamily/sample(_:count:truth:stream:)``) and returns the
    /// statistics of the first `prefix` of them, the observations themselves when
    /// `keep` is true (when it is false none are stored), and the `streaming` metrics
    /// (a subset of ``streamedMetrics(for:)``) of the whole batch.
    func sampleStatistics(_ model: Model, count: Int, prefix: Int, keep: Bool, streaming: Set<MetricName>,
                          truth: Truth, stream: RandomStream) -> SampledBatch<Statistics, Data>

}

/// A sufficient-statistic family whose statistics can be drawn from their exact
/// sampling distribution (`sampler: statistics`), at a cost that does not grow with
/// the batch size.
public protocol ExactStatisticFamily: SufficientStatisticFamily {
    /// The statistics of `count` i.i.d. draws from the model under the sampling bias,
    /// drawn directly from their exact joint distribution.
    func drawStatistics(_ model: Model, count: Int, truth: Truth, stream: RandomStream) -> Statistics

    /// The statistics of `count` fresh real observations: drawn exactly where the real
    /// distribution allows it, else computed from real draws.
    func drawRealStatistics(_ count: Int, truth: Truth, stream: RandomStream) -> Statistics
}

extension SufficientStatisticFamily {
    /// By default every sample metric needs the points.
    public func streamedMetrics(for requested: Set<MetricName>) -> Set<MetricName> { [] }
}

/// One generated batch as the chain loop sees it: the statistics of its prefix, its points
/// when kept, and the sample metrics computed while drawing.
public struct SampledBatch<Statistics, Data> {
    /// The statistics of the batch's first `prefix` points.
    public var statistics: Statistics
    /// The points, when they were kept.
    public var output: Data?
    /// The streamed sample metrics of the whole batch (NaN for the others).
    public var streamed = MetricValues()

    public init(statistics: Statistics, output: Data?) {
        self.statistics = statistics
        self.output = output
    }
}
