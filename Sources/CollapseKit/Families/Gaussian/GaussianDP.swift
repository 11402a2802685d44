/// `model.dp` of the Gaussian family: each fit whose training set holds real points is
/// (ε, δ)-DP under replace-one neighbouring, by ``GaussianSumsMechanism`` (d = 1: the
/// clipped sums Σx and Σx² released with Gaussian noise, ρ = ρ(ε, δ) split equally) or
/// ``GaussianMomentsMechanism`` (d ≥ 2: the clipped Σx and the upper triangle of Σxxᵀ),
/// zCDP accounting of Bun & Steinke 2016 (``ZeroConcentratedDP``). A fit on synthetic
/// points only is post-processing: it is the plain fit and costs nothing.
public struct GaussianDP: Equatable, Sendable {
    public let settings: DPSettings
    /// The 1-D mechanism (nil for d ≥ 2).
    public let mechanism: GaussianSumsMechanism?
    /// The d ≥ 2 mechanism (nil for d = 1).
    public let moments: GaussianMomentsMechanism?
    public let accounting: DPAccounting
    /// Whether generation t's training set holds real points (t = 0…G).
    public var touchesReal: [Bool] { accounting.touchesReal }
    /// `epsilon_spent` after generation t's fit: the worst-case individual's ε(δ).
    public var spent: [Double] { accounting.spent }

    public init(settings: DPSettings, dimension: Int = 1, policy: any TrainingPolicy, generations: Int, samples: Int) {
        self.settings = settings
        mechanism = dimension == 1 ? GaussianSumsMechanism(lower: settings.lower!, upper: settings.upper!, rho: settings.rho) : nil
        moments = dimension >= 2
            ? GaussianMomentsMechanism(lower: settings.lower!, upper: settings.upper!, dimension: dimension, rho: settings.rho) : nil
        accounting = DPAccounting(settings: settings, policy: policy, generations: generations, samples: samples)
    }

    public static func == (a: GaussianDP, b: GaussianDP) -> Bool { a.settings == b.settings && a.touchesReal == b.touchesReal }
}
