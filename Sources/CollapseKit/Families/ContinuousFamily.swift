/// A family of points in ℝ^d fitted to draws from a continuous real distribution
/// (`gaussian`, `kde`, `gmm`): real data are i.i.d. draws from `real`.
public protocol ContinuousFamily: GenerativeFamily where Data == Dataset {
    var real: RealReference { get }
}

extension ContinuousFamily {
    public var dimension: Int { real.dimension }

    public func drawReal(_ count: Int, truth: Truth, stream: RandomStream) -> Dataset {
        Dataset(values: real.distribution.sample(count: count, stream: stream), dimension: dimension)
    }
}

/// The `kde` and `gmm` families: a fitted ``GaussianMixtureModel`` (``FittedMixture``)
/// and the same metrics (``MixtureMetrics``, on the model, the batch and the chain's
/// held-out real sample); they differ in how they fit and how temperature enters
/// sampling.
public protocol MixtureFamily: ContinuousFamily where Model == FittedMixture, Truth == Void {}

extension MixtureFamily {
    /// The real distribution is the same for every chain: nothing to draw.
    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) {}

    public func diagnose(_ model: FittedMixture) -> [ChainEvent.Kind] { model.events }

    /// log q(x) of each point (−∞ where q has no density).
    public func logDensity(_ model: FittedMixture, of data: Dataset) -> [Double]? {
        model.mixture.logDensities(data.values)
    }
}
