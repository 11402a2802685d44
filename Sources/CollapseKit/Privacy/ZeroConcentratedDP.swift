import Foundation

/// Zero-concentrated differential privacy (Bun & Steinke 2016, "Concentrated
/// differential privacy: simplifications, extensions, and lower bounds"): the
/// conversions and the per-individual accountant of issue 16.
///
/// - ρ-zCDP implies (ρ + 2√(ρ ln(1/δ)), δ)-DP for every δ > 0 (Prop. 1.3), so the
///   largest ρ meeting a target (ε, δ) solves u² + 2√L u = ε for u = √ρ, L = ln(1/δ):
///   ρ = (√(L + ε) − √L)².
/// - The Gaussian mechanism with L2 sensitivity Δ and noise N(0, σ²) is Δ²/(2σ²)-zCDP
///   (Prop. 1.6), so σ = Δ/√(2ρ).
/// - Composition adds ρ (Lemma 2.3).
public enum ZeroConcentratedDP {
    /// The largest ρ with ρ + 2√(ρ ln(1/δ)) ≤ ε.
    public static func rho(epsilon: Double, delta: Double) -> Double {
        let l = log(1 / delta)
        let u = (l + epsilon).squareRoot() - l.squareRoot()
        return u * u
    }

    /// ε(δ) of ρ-zCDP: ρ + 2√(ρ ln(1/δ)).
    public static func epsilon(rho: Double, delta: Double) -> Double {
        rho + 2 * (rho * log(1 / delta)).squareRoot()
    }

    /// The Gaussian mechanism's noise scale σ = Δ/√(2ρ) for ρ-zCDP.
    public static func gaussianSigma(sensitivity: Double, rho: Double) -> Double {
        sensitivity / (2 * rho).squareRoot()
    }

    /// How many DP fits the worst-case individual of the real data has been part of
    /// after generation t's fit, for t = 0…G, under `policy` (issue 16's rules):
    /// generation 0 fits R₀; a later fit whose training set holds reused real points
    /// (R₀ under `accumulate`, a subset of R₀ under `mix` with `fixed`, or a random
    /// split that may hold R₀ points, with no amplification by subsampling) charges R₀
    /// again; fresh real points are charged once each, which never exceeds R₀'s one
    /// charge at generation 0; an all-synthetic fit is post-processing and free.
    public static func worstCaseFits(policy: any TrainingPolicy, generations: Int, samples: Int) -> [Int] {
        var fits = 1
        var out = [1]
        if generations >= 1 {
            for t in 1...generations {
                let fresh = policy.freshRealCount(generation: t, generations: generations, samples: samples)
                if let c = policy.composition(generation: t, generations: generations, samples: samples) {
                    if c.real - fresh > 0 { fits += 1 }
                } else {
                    fits += 1  // a random split: the worst-case individual may be in every set
                }
                out.append(fits)
            }
        }
        return out
    }

    /// ε spent by the worst-case individual after each generation's fit, each fit
    /// ρ-zCDP (ρ from the per-fit (ε, δ)), converted back at δ.
    public static func epsilonSpent(policy: any TrainingPolicy, generations: Int, samples: Int,
                                    epsilon: Double, delta: Double) -> [Double] {
        let r = rho(epsilon: epsilon, delta: delta)
        return worstCaseFits(policy: policy, generations: generations, samples: samples).map {
            self.epsilon(rho: Double($0) * r, delta: delta)
        }
    }

    /// The first generation whose cumulative ε exceeds `budget`, or nil.
    public static func generationExceeding(budget: Double, policy: any TrainingPolicy, generations: Int,
                                           samples: Int, epsilon: Double, delta: Double) -> Int? {
        epsilonSpent(policy: policy, generations: generations, samples: samples, epsilon: epsilon, delta: delta)
            .firstIndex { $0 > budget * (1 + 1e-12) }
    }
}

/// The DP mean and variance of one real column (issue 16's mechanism for the 1-D
/// Gaussian): clip each point to [lo, hi]; release S₁ = Σx + N(0, σ₁²) and
/// S₂ = Σx² + N(0, σ₂²), n public, ρ split equally so σᵢ = Δᵢ/√ρ, with
/// Δ₁ = hi − lo and Δ₂ = max(lo², hi²) − min over [lo, hi] of x² (replace-one
/// sensitivities); μ̂ = S₁/n and σ̂² = max(S₂/n − μ̂², 10⁻¹²(hi − lo)²). The Gaussian
/// mechanism (Dwork & Roth 2014, App. A) in zCDP form (Bun & Steinke 2016, Prop. 1.6):
/// each release is (ρ/2)-zCDP, together ρ.
public struct GaussianSumsMechanism: Sendable {
    public let lower: Double
    public let upper: Double
    public let rho: Double

    public init(lower: Double, upper: Double, rho: Double) {
        precondition(lower < upper && rho > 0)
        self.lower = lower
        self.upper = upper
        self.rho = rho
    }

    /// Δ₁ = hi − lo.
    public var sumSensitivity: Double { upper - lower }
    /// Δ₂ = max(lo², hi²) − min over [lo, hi] of x².
    public var squareSensitivity: Double { Self.squareRange(lower: lower, upper: upper) }

    /// The range of x² over [lo, hi]: max(lo², hi²) − min over [lo, hi] of x².
    static func squareRange(lower: Double, upper: Double) -> Double {
        let smallest = lower <= 0 && upper >= 0 ? 0 : min(lower * lower, upper * upper)
        return max(lower * lower, upper * upper) - smallest
    }
    /// σ₁ = Δ₁/√ρ.
    public var sumSigma: Double { sumSensitivity / rho.squareRoot() }
    /// σ₂ = Δ₂/√ρ.
    public var squareSigma: Double { squareSensitivity / rho.squareRoot() }

    /// (μ̂, σ̂²) of `values`, the two noise draws from `stream` (S₁'s first).
    public func release(_ values: [Double], stream: RandomStream) -> (mean: Double, variance: Double) {
        var s1 = 0.0, s2 = 0.0
        for x in values {
            let c = min(max(x, lower), upper)
            s1 += c
            s2 += c * c
        }
        s1 += sumSigma * stream.standardNormal()
        s2 += squareSigma * stream.standardNormal()
        let n = Double(values.count)
        let mean = s1 / n
        let floor = 1e-12 * (upper - lower) * (upper - lower)
        return (mean, max(s2 / n - mean * mean, floor))
    }
}

/// The DP mean and covariance of d ≥ 2 real columns (`model.dp` of a multivariate
/// `gaussian`): clip every coordinate to [lo, hi]; release S₁ = Σx + N(0, σ₁² I_d) and
/// the upper triangle (diagonal included) of S₂ = Σxxᵀ, each entry plus N(0, σ₂²) and
/// mirrored; n public, ρ split equally so σᵢ = Δᵢ/√ρ. The replace-one L2 sensitivities
/// are Δ₁ = √d (hi − lo) and, entry by entry, Δ₂ = √(d·D² + ½d(d − 1)·P²): a diagonal
/// entry x_a² moves by at most D = max(lo², hi²) − min over [lo, hi] of x² (the 1-D
/// Δ₂), an off-diagonal x_a x_b by at most P = max(lo², hi²) − min(lo·hi, lo², hi²), the
/// range of a product of two values in [lo, hi]. On [−B, B]ᵈ that is B²√(d(2d − 1)),
/// below the 2dB² of bounding ‖xxᵀ‖ + ‖yyᵀ‖ (by √(2 − 1/d)/2: 0.61 at d = 2, 0.69 at
/// d = 10). Then μ̂ = S₁/n and Σ̂ = S₂/n − μ̂μ̂ᵀ with its eigenvalues clipped
/// at 10⁻¹²(hi − lo)², so the released covariance is positive definite
/// (post-processing). Gaussian mechanism in zCDP form (Bun & Steinke 2016, Prop. 1.6).
public struct GaussianMomentsMechanism: Sendable {
    public let lower: Double
    public let upper: Double
    public let dimension: Int
    public let rho: Double

    public init(lower: Double, upper: Double, dimension: Int, rho: Double) {
        precondition(lower < upper && rho > 0 && dimension >= 2)
        self.lower = lower
        self.upper = upper
        self.dimension = dimension
        self.rho = rho
    }

    /// Δ₁ = √d (hi − lo).
    public var sumSensitivity: Double { Double(dimension).squareRoot() * (upper - lower) }
    /// Δ₂ = √(d·D² + ½d(d − 1)·P²) (D the diagonal's range, P the products').
    public var momentSensitivity: Double {
        let d = Double(dimension)
        let top = max(lower * lower, upper * upper)
        let diagonal = GaussianSumsMechanism.squareRange(lower: lower, upper: upper)
        let product = top - min(lower * upper, lower * lower, upper * upper)
        return (d * diagonal * diagonal + 0.5 * d * (d - 1) * product * product).squareRoot()
    }
    public var sumSigma: Double { sumSensitivity / rho.squareRoot() }
    public var momentSigma: Double { momentSensitivity / rho.squareRoot() }

    /// (μ̂, Σ̂) of the n×d row-major `values`; the noise draws from `stream`, S₁'s d
    /// first, then S₂'s upper triangle row by row.
    public func release(_ values: [Double], stream: RandomStream) -> (mean: [Double], covariance: SymmetricMatrix) {
        let d = dimension, n = values.count / d
        var s1 = [Double](repeating: 0, count: d)
        var s2 = [Double](repeating: 0, count: d * d)
        var c = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for j in 0..<d { c[j] = min(max(values[i * d + j], lower), upper) }
            for a in 0..<d {
                s1[a] += c[a]
                for b in a..<d { s2[a * d + b] += c[a] * c[b] }
            }
        }
        for a in 0..<d { s1[a] += sumSigma * stream.standardNormal() }
        for a in 0..<d { for b in a..<d { s2[a * d + b] += momentSigma * stream.standardNormal() } }
        let mean = s1.map { $0 / Double(n) }
        var cov = SymmetricMatrix(dimension: d, values: [Double](repeating: 0, count: d * d))
        for a in 0..<d {
            for b in a..<d {
                let v = s2[a * d + b] / Double(n) - mean[a] * mean[b]
                cov[a, b] = v
                cov[b, a] = v
            }
        }
        let floor = 1e-12 * (upper - lower) * (upper - lower)
        if let (lambda, _) = cov.eigen() {
            if lambda[0] < floor, let repaired = cov.spectralMap({ max($0, floor) }) { cov = repaired }
        } else {
            cov = .diagonal([Double](repeating: floor, count: d))
        }
        return (mean, cov)
    }
}

