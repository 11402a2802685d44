/// A family of points in ℝ^d fitted to real data in ℝ^d (`gaussian`, `kde`, `gmm`): i.i.d.
/// draws from a continuous distribution, or the rows of a file's numeric columns
/// (an ``EmpiricalDistribution``), drawn without replacement from the chain's own
/// ``RowPool`` (its truth; nil for a distribution).
public protocol ContinuousFamily: GenerativeFamily where Data == Dataset, Truth == RowPool? {
    var real: RealReference { get }
}

extension ContinuousFamily {
    public var dimension: Int { real.dimension }

    /// A file's unused rows (the pool draws nothing until rows are taken); nil for a
    /// distribution, which is the same for every chain.
    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) -> RowPool? {
        (real.distribution as? EmpiricalDistribution).map { RowPool(rowCount: $0.rowCount) }
    }

    public func drawReal(_ count: Int, truth: RowPool?, stream: RandomStream) -> Dataset {
        if let pool = truth, let file = real.distribution as? EmpiricalDistribution {
            return Dataset(values: file.rows(pool.take(count, stream: stream)), dimension: dimension)
        }
        return Dataset(values: real.distribution.sample(count: count, stream: stream), dimension: dimension)
    }
}

/// The `kde` and `gmm` families: a fitted ``GaussianMixtureModel`` (``FittedMixture``)
/// and the same metrics (``MixtureMetrics``, on the model, the batch and the chain's
/// held-out real sample); they differ in how they fit and how temperature enters
/// sampling.
public protocol MixtureFamily: ContinuousFamily where Model == FittedMixture {}

extension MixtureFamily {
    public func diagnose(_ model: FittedMixture) -> [ChainEvent.Kind] { model.events }

    /// log q(x) of each point (−∞ where q has no density).
    public func logDensity(_ model: FittedMixture, of data: Dataset) -> [Double]? {
        model.mixture.logDensities(data.values)
    }
}
