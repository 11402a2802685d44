import Foundation

/// A finite mixture of Gaussians q(x) = Σⱼ wⱼ N(x | μⱼ, Σⱼ) in d dimensions: the fitted
/// model of both the `gmm` family (k components fitted by EM) and the `kde` family
/// (n equal-weight components, one per training point, sharing one kernel covariance).
///
/// Parameters live in flat row-major buffers: `weights` (k), `means` (k×d) and
/// `covariances` (c×d×d, where c = 1 when every component shares one covariance and
/// c = k otherwise). Everything the hot loops need is precomputed once: Cholesky
/// factors Σ = L Lᵀ, log-normalisers −½ d log 2π − Σᵢ log Lᵢᵢ, log weights, marginal
/// standard deviations and cumulative weights.
///
/// A component with weight 0 (an `empty_component` of EM) is never sampled and adds
/// nothing to densities, CDFs or moments. A component whose covariance is not positive
/// definite has no density: it adds nothing to ``logDensities(_:)`` (held-out points lie
/// off its support with probability 1), is sampled through the positive semi-definite
/// square root of its covariance, and enters CDFs as a step (σ = 0) or with its
/// marginal standard deviation.
public struct GaussianMixtureModel: Sendable {
    public let dimension: Int
    public let componentCount: Int
    /// wⱼ ≥ 0, summing to 1.
    public let weights: [Double]
    /// μⱼ, k×d row-major.
    public let means: [Double]
    /// Σ_f, c×d×d row-major; component j uses f = 0 when ``sharesCovariance`` and f = j otherwise.
    public let covariances: [Double]
    /// True when one covariance serves every component (c = 1 < k).
    public let sharesCovariance: Bool
    /// True when every parameter is finite.
    public let isFinite: Bool
    /// Per covariance: is it numerically positive definite (Cholesky succeeded)?
    public let positiveDefinite: [Bool]

    let logWeights: [Double]
    /// Lower Cholesky factors (c×d×d); NaN where not positive definite.
    let choleskyFactors: [Double]
    /// −½ d log 2π − Σᵢ log Lᵢᵢ per covariance; −∞ where not positive definite.
    let logNormalizers: [Double]
    /// B with B Bᵀ = Σ per covariance (Cholesky, or the PSD square root when singular).
    let samplingFactors: [Double]
    /// √Σ_f[i, i] per covariance and coordinate (c×d).
    let marginalSDs: [Double]
    let cumulativeWeights: [Double]
    let equalWeights: Bool
    /// Shared covariance in d > 1 only: L⁻¹(μⱼ − center) (k×d), so a point is whitened once.
    let whitenedMeans: [Double]
    let center: [Double]

    /// - Parameters:
    ///   - weights: k weights ≥ 0 summing to 1.
    ///   - means: k×d row-major.
    ///   - covariances: d×d row-major (shared by every component) or k×d×d.
    ///   - equalWeights: every weight is 1/k (sampling then picks a component with one
    ///     uniform integer draw instead of a search).
    public init(dimension d: Int, weights: [Double], means: [Double], covariances: [Double],
                equalWeights: Bool = false) {
        let k = weights.count
        precondition(k >= 1 && means.count == k * d)
        let c = covariances.count / (d * d)
        precondition(c * d * d == covariances.count && (c == 1 || c == k))
        dimension = d
        componentCount = k
        self.weights = weights
        self.means = means
        self.covariances = covariances
        sharesCovariance = c == 1 && k > 1
        self.equalWeights = equalWeights
        isFinite = weights.allSatisfy(\.isFinite) && means.allSatisfy(\.isFinite)
            && covariances.allSatisfy(\.isFinite)
        logWeights = weights.map { $0 > 0 ? log($0) : -.infinity }
        var cumulative = [Double](repeating: 0, count: k)
        var acc = 0.0
        for j in 0..<k { acc += weights[j]; cumulative[j] = acc }
        cumulativeWeights = cumulative

        var chol = [Double](repeating: .nan, count: c * d * d)
        var sampling = [Double](repeating: .nan, count: c * d * d)
        var logNorm = [Double](repeating: -.infinity, count: c)
        var pd = [Bool](repeating: false, count: c)
        var sds = [Double](repeating: .nan, count: c * d)
        let finite = isFinite
        for f in 0..<c {
            let sigma = SymmetricMatrix(dimension: d, values: Array(covariances[(f * d * d)..<((f + 1) * d * d)]))
            for i in 0..<d { sds[f * d + i] = max(sigma[i, i], 0).squareRoot() }
            guard finite else { continue }
            if let l = Self.choleskyFactor(sigma) {
                pd[f] = true
                logNorm[f] = -0.5 * Double(d) * log(2 * Double.pi) - (0..<d).reduce(0) { $0 + log(l[$1 * d + $1]) }
                chol.replaceSubrange((f * d * d)..<((f + 1) * d * d), with: l)
                sampling.replaceSubrange((f * d * d)..<((f + 1) * d * d), with: l)
            } else if let root = sigma.squareRoot()?.values {
                sampling.replaceSubrange((f * d * d)..<((f + 1) * d * d), with: root)
            }
        }
        choleskyFactors = chol
        samplingFactors = sampling
        logNormalizers = logNorm
        positiveDefinite = pd
        marginalSDs = sds

        // Shared kernel in d > 1: whiten the means once around the mixture's centre
        // (centring keeps the whitened differences free of cancellation).
        if sharesCovariance && d > 1 && pd[0] {
            var centre = [Double](repeating: 0, count: d)
            for j in 0..<k { for i in 0..<d { centre[i] += weights[j] * means[j * d + i] } }
            var white = [Double](repeating: 0, count: k * d)
            var diff = [Double](repeating: 0, count: d)
            chol.withUnsafeBufferPointer { l in
                white.withUnsafeMutableBufferPointer { w in
                    for j in 0..<k {
                        for i in 0..<d { diff[i] = means[j * d + i] - centre[i] }
                        diff.withUnsafeBufferPointer { b in
                            Self.forwardSolve(l.baseAddress!, d: d, b.baseAddress!, into: w.baseAddress! + j * d)
                        }
                    }
                }
            }
            whitenedMeans = white
            center = centre
        } else {
            whitenedMeans = []
            center = []
        }
    }

    /// The Cholesky factor of a 1×1 matrix directly, of larger ones through GSL.
    private static func choleskyFactor(_ sigma: SymmetricMatrix) -> [Double]? {
        if sigma.dimension == 1 { return sigma[0, 0] > 0 ? [sigma[0, 0].squareRoot()] : nil }
        return sigma.cholesky()
    }

    /// Solves L y = b for lower-triangular L (d×d row-major).
    @inline(__always)
    static func forwardSolve(_ l: UnsafePointer<Double>, d: Int, _ b: UnsafePointer<Double>,
                             into y: UnsafeMutablePointer<Double>) {
        for i in 0..<d {
            var r = b[i]
            for m in 0..<i { r -= l[i * d + m] * y[m] }
            y[i] = r / l[i * d + i]
        }
    }

    /// Index of component j's covariance.
    @inline(__always) func covarianceIndex(_ j: Int) -> Int { sharesCovariance ? 0 : j }

    // MARK: Densities

    /// Scratch space for ``componentLogTerms(_:terms:scratch:)``.
    var scratchSize: Int { 2 * dimension }

    /// terms[j] = log wⱼ + log N(x | μⱼ, Σⱼ) for one point x; −∞ for a component with
    /// weight 0 or a covariance that is not positive definite.
    @inline(__always)
    func componentLogTerms(_ x: UnsafePointer<Double>, terms: UnsafeMutablePointer<Double>,
                           scratch: UnsafeMutablePointer<Double>) {
        let d = dimension, k = componentCount
        means.withUnsafeBufferPointer { mu in
            logWeights.withUnsafeBufferPointer { lw in
                logNormalizers.withUnsafeBufferPointer { ln in
                    choleskyFactors.withUnsafeBufferPointer { l in
                        if d == 1 {
                            let x0 = x[0]
                            for j in 0..<k {
                                let f = sharesCovariance ? 0 : j
                                guard lw[j] > -.infinity, ln[f] > -.infinity else { terms[j] = -.infinity; continue }
                                let z = (x0 - mu[j]) / l[f]
                                terms[j] = lw[j] + ln[f] - 0.5 * z * z
                            }
                        } else if sharesCovariance {
                            guard ln[0] > -.infinity else {
                                for j in 0..<k { terms[j] = -.infinity }
                                return
                            }
                            for i in 0..<d { scratch[d + i] = x[i] - center[i] }
                            Self.forwardSolve(l.baseAddress!, d: d, scratch + d, into: scratch)
                            whitenedMeans.withUnsafeBufferPointer { w in
                                for j in 0..<k {
                                    guard lw[j] > -.infinity else { terms[j] = -.infinity; continue }
                                    var q = 0.0
                                    for i in 0..<d { let e = scratch[i] - w[j * d + i]; q += e * e }
                                    terms[j] = lw[j] + ln[0] - 0.5 * q
                                }
                            }
                        } else {
                            for j in 0..<k {
                                guard lw[j] > -.infinity, ln[j] > -.infinity else { terms[j] = -.infinity; continue }
                                for i in 0..<d { scratch[d + i] = x[i] - mu[j * d + i] }
                                Self.forwardSolve(l.baseAddress! + j * d * d, d: d, scratch + d, into: scratch)
                                var q = 0.0
                                for i in 0..<d { q += scratch[i] * scratch[i] }
                                terms[j] = lw[j] + ln[j] - 0.5 * q
                            }
                        }
                    }
                }
            }
        }
    }

    /// log Σⱼ exp(tⱼ), stably; −∞ when every term is −∞.
    @inline(__always)
    static func logSumExp(_ t: UnsafePointer<Double>, count k: Int) -> Double {
        var top = -Double.infinity
        for j in 0..<k where t[j] > top { top = t[j] }
        guard top > -.infinity, top.isFinite else { return top }
        var s = 0.0
        for j in 0..<k { s += exp(t[j] - top) }
        return top + log(s)
    }

    /// log q(xᵢ) for each point of a flat m×d buffer (log-sum-exp over components).
    public func logDensities(_ points: [Double]) -> [Double] {
        let d = dimension, m = points.count / d
        var out = [Double](repeating: 0, count: m)
        var terms = [Double](repeating: 0, count: componentCount)
        var scratch = [Double](repeating: 0, count: scratchSize)
        points.withUnsafeBufferPointer { p in
            terms.withUnsafeMutableBufferPointer { t in
                scratch.withUnsafeMutableBufferPointer { s in
                    for i in 0..<m {
                        componentLogTerms(p.baseAddress! + i * d, terms: t.baseAddress!, scratch: s.baseAddress!)
                        out[i] = Self.logSumExp(t.baseAddress!, count: componentCount)
                    }
                }
            }
        }
        return out
    }

    // MARK: Marginals

    /// CDF of coordinate i's marginal: Σⱼ wⱼ Φ((x − μⱼᵢ)/σⱼᵢ), a unit step at μⱼᵢ when σⱼᵢ = 0.
    public func marginalCDF(_ x: Double, coordinate i: Int) -> Double {
        let d = dimension
        var p = 0.0
        for j in 0..<componentCount where weights[j] > 0 {
            let mu = means[j * d + i], s = marginalSDs[covarianceIndex(j) * d + i]
            p += weights[j] * (s > 0 ? Probability.normalCDF((x - mu) / s) : (x >= mu ? 1 : 0))
        }
        return p
    }

    /// Quantile of coordinate i's marginal: bisection on ``marginalCDF(_:coordinate:)``
    /// over a bracket holding every weighted component's μ ± 40σ, until the bracket
    /// cannot be halved in double precision (at most 200 halvings).
    public func marginalQuantile(_ p: Double, coordinate i: Int) -> Double {
        let d = dimension
        var lo = Double.infinity, hi = -Double.infinity
        for j in 0..<componentCount where weights[j] > 0 {
            let mu = means[j * d + i], s = marginalSDs[covarianceIndex(j) * d + i]
            lo = min(lo, mu - 40 * s)
            hi = max(hi, mu + 40 * s)
        }
        guard lo.isFinite, hi.isFinite else { return .nan }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if marginalCDF(mid, coordinate: i) < p { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    /// P(Xᵢ < low) + P(Xᵢ > high) exactly: Σⱼ wⱼ [Φ((low − μⱼᵢ)/σⱼᵢ) + 1 − Φ((high − μⱼᵢ)/σⱼᵢ)].
    public func marginalTailMass(coordinate i: Int, low: Double, high: Double) -> Double {
        let d = dimension
        var mass = 0.0
        for j in 0..<componentCount where weights[j] > 0 {
            mass += weights[j] * GaussianMetrics.tailMass(mean: means[j * d + i],
                                                         sd: marginalSDs[covarianceIndex(j) * d + i],
                                                         low: low, high: high)
        }
        return mass
    }

    // MARK: Moments

    /// E[X] = Σⱼ wⱼ μⱼ.
    public var mean: [Double] {
        let d = dimension
        var m = [Double](repeating: 0, count: d)
        for j in 0..<componentCount where weights[j] > 0 {
            for i in 0..<d { m[i] += weights[j] * means[j * d + i] }
        }
        return m
    }

    /// Cov[X] = Σⱼ wⱼ [Σⱼ + (μⱼ − m)(μⱼ − m)ᵀ] (law of total covariance).
    public var covariance: SymmetricMatrix {
        let d = dimension, m = mean
        var cov = [Double](repeating: 0, count: d * d)
        for j in 0..<componentCount where weights[j] > 0 {
            let w = weights[j]
            for a in 0..<d {
                let da = means[j * d + a] - m[a]
                for b in 0..<d { cov[a * d + b] += w * da * (means[j * d + b] - m[b]) }
            }
            if !sharesCovariance {
                for e in 0..<(d * d) { cov[e] += w * covariances[j * d * d + e] }
            }
        }
        if sharesCovariance { for e in 0..<(d * d) { cov[e] += covariances[e] } }
        return SymmetricMatrix(dimension: d, values: cov)
    }

    // MARK: Sampling

    /// Draws `count` points: per point, a component (one uniform integer when the
    /// weights are equal, else one uniform searched in the cumulative weights), then
    /// x = μⱼ + s·Bⱼz with z ~ N(0, I_d) (d ziggurat draws) and Bⱼ Bⱼᵀ = Σⱼ, so x ~
    /// N(μⱼ, s²Σⱼ). `noiseScale` s is the sampling temperature's effect: √λ for gmm, τ
    /// for kde. Components of weight 0 are never chosen.
    public func sample(count: Int, noiseScale s: Double, stream: RandomStream) -> [Double] {
        let d = dimension, k = componentCount
        var out = [Double](repeating: 0, count: count * d)
        var z = [Double](repeating: 0, count: d)
        let lastPositive = weights.lastIndex { $0 > 0 } ?? (k - 1)
        let total = cumulativeWeights[k - 1]
        out.withUnsafeMutableBufferPointer { o in
            means.withUnsafeBufferPointer { mu in
                samplingFactors.withUnsafeBufferPointer { b in
                    cumulativeWeights.withUnsafeBufferPointer { cw in
                        for r in 0..<count {
                            let j: Int
                            if equalWeights {
                                j = stream.uniformIndex(below: k)
                            } else {
                                let u = stream.uniform() * total
                                var lo = 0, hi = k - 1
                                while lo < hi {
                                    let mid = (lo + hi) / 2
                                    if cw[mid] > u { hi = mid } else { lo = mid + 1 }
                                }
                                j = cw[lo] > u ? lo : lastPositive
                            }
                            let f = sharesCovariance ? 0 : j
                            if d == 1 {
                                o[r] = mu[j] + s * b[f] * stream.standardNormal()
                                continue
                            }
                            for m in 0..<d { z[m] = stream.standardNormal() }
                            for i in 0..<d {
                                var acc = 0.0
                                for m in 0..<d { acc += b[f * d * d + i * d + m] * z[m] }
                                o[r * d + i] = mu[j * d + i] + s * acc
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// A fitted mixture with what went wrong fitting it (the family's `Model`).
public struct FittedMixture: MomentModel, Sendable {
    public let mixture: GaussianMixtureModel
    public let events: [ChainEvent.Kind]
    /// The mixture's exact mean and covariance (law of total covariance), computed once.
    public let mean: [Double]
    public let covariance: SymmetricMatrix

    public init(mixture: GaussianMixtureModel, events: [ChainEvent.Kind]) {
        self.mixture = mixture
        self.events = events
        mean = mixture.mean
        covariance = mixture.covariance
    }
}
