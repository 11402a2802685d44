/// The Gaussian mechanism on a histogram, `model.dp` of the categorical family:
/// replacing one observation changes two counts by 1, an L2 sensitivity of √2, so at
/// ρ-zCDP each count gets N(0, σ²) noise with σ = √2/√(2ρ) = 1/√ρ (Bun & Steinke 2016,
/// Prop. 1.6). The noisy counts are clipped at 0 and renormalised (post-processing, no
/// further cost); when every clipped count is 0 the release is uniform. n is public.
public struct NoisyCountsMechanism: Equatable, Sendable {
    public let rho: Double

    public init(rho: Double) {
        precondition(rho > 0 && rho.isFinite)
        self.rho = rho
    }

    /// σ = 1/√ρ.
    public var sigma: Double { 1 / rho.squareRoot() }

    /// Each count plus its noise draw (from `stream`, in category order), not yet clipped.
    public func noisyCounts(_ counts: [Int], stream: RandomStream) -> [Double] {
        let s = sigma
        return counts.map { Double($0) + s * stream.standardNormal() }
    }

    /// The released counts: the noisy counts clipped at 0 (all 0: every category 1, the
    /// uniform release).
    public func release(_ counts: [Int], stream: RandomStream) -> [Double] {
        let clipped = noisyCounts(counts, stream: stream).map { max($0, 0) }
        return clipped.allSatisfy { $0 == 0 } ? [Double](repeating: 1, count: counts.count) : clipped
    }
}

/// `model.dp` of the categorical family: each fit whose training set holds real points
/// releases its counts through ``NoisyCountsMechanism`` at ρ = ρ(ε, δ) (ε, δ)-DP under
/// replace-one neighbouring; a fit on synthetic points only is the plain fit
/// (post-processing). Accounting as the Gaussian's (``DPAccounting``).
public struct CategoricalDP: Equatable, Sendable {
    public let settings: DPSettings
    public let mechanism: NoisyCountsMechanism
    public let accounting: DPAccounting

    public init(settings: DPSettings, policy: any TrainingPolicy, generations: Int, samples: Int) {
        self.settings = settings
        mechanism = NoisyCountsMechanism(rho: settings.rho)
        accounting = DPAccounting(settings: settings, policy: policy, generations: generations, samples: samples)
    }
}
