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

/// The `kde` and `gmm` families: a fitted ``GaussianMixtureModel`` (``FittedMixture``),
/// a per-chain held-out real sample as the truth, and the same metrics
/// (``MixtureMetrics``); they differ in how they fit and how temperature enters sampling.
public protocol MixtureFamily: ContinuousFamily where Model == FittedMixture, Truth == HeldoutSample {
    /// Size of the held-out real sample (`heldout`).
    var heldout: Int { get }
}

extension MixtureFamily {
    /// The held-out real sample, drawn only for `nll_heldout` or `kl`.
    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) -> HeldoutSample {
        HeldoutSample(real: real, count: heldout, requested: requested, stream: stream)
    }

    public func diagnose(_ model: FittedMixture) -> [ChainEvent.Kind] { model.events }

    public func measure(_ model: FittedMixture, output: Dataset, truth: HeldoutSample,
                        requested: Set<MetricName>, into values: inout MetricValues) {
        MixtureMetrics.compute(model.mixture, output: output, real: real, heldout: truth,
                               requested: requested, into: &values)
    }
}
