/// How a chain carries its training sets: as points (``PointsRepresentation``, every
/// family) or as a family's sufficient statistics (``StatisticsRepresentation``). The
/// chain loop (``ChainLoop``) and every policy are written once against this protocol.
protocol ChainRepresentation: Sendable {
    associatedtype Family: GenerativeFamily
    associatedtype TrainingSet

    var family: Family { get }

    /// R₀: `count` real observations as a training set, and as points when
    /// `keepPoints` (else the points may never exist).
    func initialReal(_ count: Int, keepPoints: Bool, truth: Family.Truth,
                     stream: RandomStream) -> (set: TrainingSet, points: Family.Data?)
    /// `count` new real observations.
    func freshReal(_ count: Int, truth: Family.Truth, stream: RandomStream) -> TrainingSet
    /// The training set of these points.
    func set(of points: Family.Data) -> TrainingSet
    func merge(_ a: TrainingSet, _ b: TrainingSet) -> TrainingSet
    func append(_ b: TrainingSet, to a: inout TrainingSet)
    /// The training set as points (points representation only; nil otherwise).
    func points(_ set: TrainingSet) -> Family.Data?
    func fit(_ set: TrainingSet, stream: RandomStream, chain: ChainIdentity) -> Family.Model

    /// Generation t's output batch: `count` points from the model, of which the first
    /// `prefix` go into the next training set, the points when `keep`, and the
    /// `streaming` sample metrics of the whole batch.
    func sample(_ model: Family.Model, count: Int, prefix: Int, keep: Bool, streaming: Set<MetricName>,
                truth: Family.Truth, stream: RandomStream) -> SampledBatch<TrainingSet, Family.Data>
    /// The sample metrics the representation computes while drawing, of `requested`.
    func streamedMetrics(for requested: Set<MetricName>) -> Set<MetricName>
    /// False when a batch's points are never drawn (exact statistics).
    var drawsPoints: Bool { get }
}

/// Training sets as points: fit sees the data itself; merge concatenates, `accumulate`
/// appends in place.
struct PointsRepresentation<Family: GenerativeFamily>: ChainRepresentation {
    let family: Family

    func initialReal(_ count: Int, keepPoints: Bool, truth: Family.Truth,
                     stream: RandomStream) -> (set: Family.Data, points: Family.Data?) {
        let real = family.drawReal(count, truth: truth, stream: stream)
        return (real, real)
    }

    func freshReal(_ count: Int, truth: Family.Truth, stream: RandomStream) -> Family.Data {
        family.drawReal(count, truth: truth, stream: stream)
    }

    func set(of points: Family.Data) -> Family.Data { points }
    func merge(_ a: Family.Data, _ b: Family.Data) -> Family.Data { Family.Data.concatenate([a, b]) }
    func append(_ b: Family.Data, to a: inout Family.Data) { a.append(b) }
    func points(_ set: Family.Data) -> Family.Data? { set }
    func fit(_ set: Family.Data, stream: RandomStream, chain: ChainIdentity) -> Family.Model {
        family.fit(set, stream: stream, chain: chain)
    }

    func sample(_ model: Family.Model, count: Int, prefix: Int, keep: Bool, streaming: Set<MetricName>,
                truth: Family.Truth, stream: RandomStream) -> SampledBatch<Family.Data, Family.Data> {
        let output = family.sample(model, count: count, truth: truth, stream: stream)
        return SampledBatch(statistics: prefix == count ? output : output.prefix(prefix), output: output)
    }

    func streamedMetrics(for requested: Set<MetricName>) -> Set<MetricName> { [] }
    var drawsPoints: Bool { true }
}

/// Training sets as a ``SufficientStatisticFamily``'s statistics: never assembled as
/// points, `accumulate` a running merge (O(1) memory, O(n) work a generation). With
/// `exact` (`sampler: statistics`) each batch's statistics are drawn from their exact
/// distribution, at a cost that does not grow with n; without it every point is really
/// drawn, in the order ``PointsRepresentation`` draws it.
struct StatisticsRepresentation<Family: SufficientStatisticFamily>: ChainRepresentation {
    let family: Family
    /// The exact draws of `sampler: statistics`; nil for real draws.
    let exact: ExactDraws<Family>?

    func initialReal(_ count: Int, keepPoints: Bool, truth: Family.Truth,
                     stream: RandomStream) -> (set: Family.Statistics, points: Family.Data?) {
        if let exact, !keepPoints { return (exact.real(count, truth, stream), nil) }
        let real = family.drawReal(count, truth: truth, stream: stream)
        return (family.statistics(of: real), keepPoints ? real : nil)
    }

    func freshReal(_ count: Int, truth: Family.Truth, stream: RandomStream) -> Family.Statistics {
        exact?.real(count, truth, stream) ?? family.statistics(of: family.drawReal(count, truth: truth, stream: stream))
    }

    func set(of points: Family.Data) -> Family.Statistics { family.statistics(of: points) }
    func merge(_ a: Family.Statistics, _ b: Family.Statistics) -> Family.Statistics { family.merge(a, b) }
    func append(_ b: Family.Statistics, to a: inout Family.Statistics) { a = family.merge(a, b) }
    func points(_ set: Family.Statistics) -> Family.Data? { nil }
    func fit(_ set: Family.Statistics, stream: RandomStream, chain: ChainIdentity) -> Family.Model {
        family.fit(statistics: set)
    }

    func sample(_ model: Family.Model, count: Int, prefix: Int, keep: Bool, streaming: Set<MetricName>,
                truth: Family.Truth, stream: RandomStream) -> SampledBatch<Family.Statistics, Family.Data> {
        if let exact { return SampledBatch(statistics: exact.model(model, prefix, truth, stream), output: nil) }
        return family.sampleStatistics(model, count: count, prefix: prefix, keep: keep, streaming: streaming,
                                       truth: truth, stream: stream)
    }

    func streamedMetrics(for requested: Set<MetricName>) -> Set<MetricName> {
        exact == nil ? family.streamedMetrics(for: requested) : []
    }

    var drawsPoints: Bool { exact == nil }
}

/// The exact statistic draws of an ``ExactStatisticFamily``, for a representation generic
/// over any ``SufficientStatisticFamily``.
struct ExactDraws<Family: SufficientStatisticFamily>: Sendable {
    /// Statistics of `count` draws from a model.
    let model: @Sendable (Family.Model, Int, Family.Truth, RandomStream) -> Family.Statistics
    /// Statistics of `count` fresh real observations.
    let real: @Sendable (Int, Family.Truth, RandomStream) -> Family.Statistics
}

extension ExactDraws where Family: ExactStatisticFamily {
    init(_ family: Family) {
        model = { family.drawStatistics($0, count: $1, truth: $2, stream: $3) }
        real = { family.drawRealStatistics($0, truth: $1, stream: $2) }
    }
}
