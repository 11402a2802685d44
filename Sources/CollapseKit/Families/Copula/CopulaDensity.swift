import Foundation

/// The copula's log-density of a row, for the `likelihood` membership attack:
///
///     log f(x) = log c_R(z) + Σ_numeric log f̂_j(x_j) + Σ_categorical log p̂_j(x_j),
///     log c_R(z) = −½ log|R_λ| − ½ zᵀ(R_λ⁻¹ − I)z,
///
/// the Gaussian copula density (Nelsen 2006 §2.10) at the row's normal scores z, under
/// the correlation R_λ the model samples from. A numeric column's density is its
/// marginal's (``CopulaMarginal/scoreAndLogDensity(_:)``). A categorical column
/// contributes log p̂_k and its score is the category's mid-rank Φ⁻¹(c_k + p̂_k/2), as in
/// the fit. That is exact when every column is numeric; with categorical columns it
/// evaluates the copula at the category's mid-rank instead of integrating it over the
/// category's interval (as SDV's `probability_density` evaluates it at the encoded
/// value), so it is a score, not a normalised probability. A category the model has
/// lost (p̂_k = 0) or a value outside a marginal's support gives −∞.
extension CopulaFamily {
    public func logDensity(_ model: Model, of data: MixedTable) -> [Double]? {
        let d = schema.columns.count, n = data.count
        guard model.factor.allSatisfy({ $0.isFinite }) else { return nil }
        // R_λ = L Lᵀ from the sampling factor (Cholesky or symmetric square root).
        var r = SymmetricMatrix.diagonal([Double](repeating: 0, count: d))
        for a in 0..<d {
            for b in 0..<d {
                var s = 0.0
                for k in 0..<d { s += model.factor[a * d + k] * model.factor[b * d + k] }
                r[a, b] = s
            }
        }
        guard let pd = r.positiveDefiniteInverse() else { return nil }
        var precision = pd.inverse
        for a in 0..<d { precision[a, a] -= 1 }
        let midpoints = model.frequencies.map(Self.midpointScores)
        var out = [Double](repeating: -0.5 * pd.logDeterminant, count: n)
        var z = [Double](repeating: 0, count: d)
        for i in 0..<n {
            var marginal = 0.0
            for (j, c) in schema.columns.enumerated() {
                let s = schema.slot[j]
                if c.type == .numeric {
                    let (score, logf) = model.marginals[s].scoreAndLogDensity(data.numeric[s][i])
                    z[j] = score
                    marginal += logf
                } else {
                    let k = Int(data.categorical[s][i])
                    z[j] = midpoints[s][k]
                    marginal += log(model.frequencies[s][k])
                }
            }
            out[i] += marginal.isFinite ? marginal - 0.5 * precision.quadraticForm(z) : -.infinity
        }
        return out
    }
}

extension CopulaMarginal {
    /// The normal score z = Φ⁻¹(F(x)) of a value (F clipped to [10⁻¹², 1 − 10⁻¹²]) and
    /// log f(x), the log-density of the distribution the marginal samples from:
    ///
    /// - `normal`: log N(x; μ̂, σ̂²); `kde`: log f̂(x); `histogram`: log(p_k/w);
    /// - `empirical`: F̂⁻¹ interpolates the order statistics, so its draws have a
    ///   uniform density (1/n)/(x₍ₖ₊₁₎ − x₍ₖ₎) between neighbouring distinct order
    ///   statistics and atoms where F̂⁻¹ is flat: a tied value of c copies holds
    ///   (c − 1)/n, plus ½/n at the minimum and at the maximum. f is the density with
    ///   respect to Lebesgue measure plus counting measure on the atoms: an atom's mass,
    ///   or at an untied order statistic the mean of its two neighbouring intervals'
    ///   densities; −∞ outside [min, max]. Its score is the mid-rank one of the fit
    ///   (an atom's middle, linear between order statistics).
    /// - a column with one value (σ̂ = 0): a point mass, log f = 0 at it and −∞ elsewhere.
    func scoreAndLogDensity(_ x: Double) -> (score: Double, logDensity: Double) {
        func score(_ u: Double) -> Double { Probability.normalQuantile(min(max(u, Self.clip), 1 - Self.clip)) }
        switch self {
        case .normal(let m, let s):
            guard s > 0 else { return (0, x == m ? 0 : -.infinity) }
            let z = (x - m) / s
            return (z, -0.5 * z * z - 0.5 * log(2 * Double.pi) - log(s))
        case .kde(let k):
            guard k.bandwidth > 0 else { return (0, x == k.centres[0] ? 0 : -.infinity) }
            return (score(k.cdf(x)), log(k.density(x)))
        case .histogram(let h):
            return (score(h.cdf(x)), h.logDensity(x))
        case .empirical(let sorted):
            let (u, logf) = Self.empiricalCDFAndLogDensity(x, sorted: sorted)
            return (sorted.first == sorted.last ? 0 : score(u), logf)
        }
    }

    /// F(x) (the CDF of the interpolated order statistics, an atom's middle) and log f(x)
    /// of the empirical marginal (``scoreAndLogDensity(_:)``).
    static func empiricalCDFAndLogDensity(_ x: Double, sorted s: [Double]) -> (cdf: Double, logDensity: Double) {
        let n = s.count
        let nn = Double(n)
        if x < s[0] { return (0, -.infinity) }
        if x > s[n - 1] { return (1, -.infinity) }
        let below = EmpiricalDistribution.countBelow(x, in: s)       // #{xᵢ < x}
        let atOrBelow = EmpiricalDistribution.countAtOrBelow(x, in: s)
        let copies = atOrBelow - below
        if copies > 0 {
            // x is an order statistic: its u-interval runs from (below + ½)/n to (atOrBelow − ½)/n.
            var mass = Double(copies - 1) / nn
            if below == 0 { mass += 0.5 / nn }
            if atOrBelow == n { mass += 0.5 / nn }
            let u = (Double(below) + 0.5 * Double(copies)) / nn
            if mass > 0 { return (u, log(mass)) }
            // An untied interior order statistic: the mean of its two intervals' densities.
            let left = (1 / nn) / (x - s[below - 1]), right = (1 / nn) / (s[atOrBelow] - x)
            return (u, log(0.5 * (left + right)))
        }
        // Strictly between s[below − 1] and s[below].
        let a = s[below - 1], b = s[below]
        let u = (Double(below) - 0.5 + (x - a) / (b - a)) / nn
        return (u, log((1 / nn) / (b - a)))
    }
}
