/// The sufficient statistics of a Gaussian fit: the number of points m, their mean x̄
/// and their scatter matrix S = Σ (x − x̄)(x − x̄)ᵀ (row-major d × d). The fit is
/// N(x̄, S/(m − ddof)).
public struct GaussianStatistics: Equatable, Sendable {
    public var count: Int
    public var mean: [Double]
    public var scatter: [Double]

    public init(count: Int, mean: [Double], scatter: [Double]) {
        precondition(scatter.count == mean.count * mean.count)
        self.count = count
        self.mean = mean
        self.scatter = scatter
    }

    /// The statistics of no points.
    public static func empty(dimension d: Int) -> GaussianStatistics {
        GaussianStatistics(count: 0, mean: [Double](repeating: 0, count: d),
                           scatter: [Double](repeating: 0, count: d * d))
    }

    public var dimension: Int { mean.count }

    /// The statistics of a dataset (GSL's two-pass mean and covariance; one point has
    /// scatter 0).
    public init(of data: Dataset) {
        let n = data.count, d = data.dimension
        guard n > 1 else {
            self.init(count: n, mean: n == 1 ? data.values : [Double](repeating: 0, count: d),
                      scatter: [Double](repeating: 0, count: d * d))
            return
        }
        let (mean, cov) = data.meanAndCovariance(ddof: 0)
        self.init(count: n, mean: mean, scatter: cov.values.map { $0 * Double(n) })
    }

    /// The statistics of m points from the running sums of their deviations δ = x − c
    /// from a centre c: x̄ = c + δ̄, S = Σδδᵀ − m δ̄δ̄ᵀ (no cancellation when c is the
    /// points' model mean: δ̄ is O(1/√m) of their spread).
    init(count m: Int, deviationSum: [Double], deviationSquares: [Double], around centre: [Double]) {
        let d = centre.count
        guard m > 0 else { self = .empty(dimension: d); return }
        let meanDeviation = deviationSum.map { $0 / Double(m) }
        var scatter = deviationSquares
        for i in 0..<d { for j in 0..<d { scatter[i * d + j] -= Double(m) * meanDeviation[i] * meanDeviation[j] } }
        // A coordinate whose δ are all equal has no spread: clear its row and column
        // (rounding could leave S_ii slightly negative or S_ij slightly non-zero).
        for i in 0..<d where scatter[i * d + i] <= 0 {
            for j in 0..<d { scatter[i * d + j] = 0; scatter[j * d + i] = 0 }
        }
        self.init(count: m, mean: (0..<d).map { centre[$0] + meanDeviation[$0] }, scatter: scatter)
    }

    /// The statistics of the union of two disjoint point sets (Chan, Golub & LeVeque,
    /// "Updating formulae and a pairwise algorithm for computing sample variances",
    /// 1979): with δ = x̄_b − x̄_a, x̄ = x̄_a + δ·m_b/m and S = S_a + S_b + δδᵀ·m_a·m_b/m.
    public func merged(with b: GaussianStatistics) -> GaussianStatistics {
        if b.count == 0 { return self }
        if count == 0 { return b }
        let d = dimension
        let m = count + b.count
        let wa = Double(count), wb = Double(b.count), w = Double(m)
        let delta = (0..<d).map { b.mean[$0] - mean[$0] }
        var out = GaussianStatistics(count: m, mean: (0..<d).map { mean[$0] + delta[$0] * wb / w },
                                     scatter: scatter)
        let f = wa * wb / w
        for i in 0..<d {
            for j in 0..<d { out.scatter[i * d + j] += b.scatter[i * d + j] + delta[i] * delta[j] * f }
        }
        return out
    }

    /// Statistics of μ + B z for points whose standard-normal parts z have mean z̄ and
    /// scatter Z: mean μ + B z̄, scatter B Z Bᵀ (B row-major d × d).
    static func transformed(count: Int, zMean: [Double], zScatter: [Double], mean mu: [Double],
                            factor b: [Double]) -> GaussianStatistics {
        let d = mu.count
        if d == 1 {
            return GaussianStatistics(count: count, mean: [mu[0] + b[0] * zMean[0]],
                                      scatter: [b[0] * b[0] * zScatter[0]])
        }
        var mean = mu
        for i in 0..<d { for k in 0..<d { mean[i] += b[i * d + k] * zMean[k] } }
        // B Z, then (B Z) Bᵀ, symmetrised.
        var bz = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { for k in 0..<d { bz[i * d + j] += b[i * d + k] * zScatter[k * d + j] } } }
        var s = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in i..<d {
                var acc = 0.0
                for k in 0..<d { acc += bz[i * d + k] * b[j * d + k] }
                s[i * d + j] = acc
                s[j * d + i] = acc
            }
        }
        return GaussianStatistics(count: count, mean: mean, scatter: s)
    }
}
