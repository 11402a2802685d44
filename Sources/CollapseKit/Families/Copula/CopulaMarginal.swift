import Foundation

/// One numeric column's fitted marginal in the Gaussian copula (`model.marginals`),
/// with the two maps the copula needs: training value → normal score z = Φ⁻¹(F̂(x))
/// (``scores(_:)``) and score → value x = F̂⁻¹(Φ(z)) (``value(score:)``).
///
/// - `empirical`: F̂ is the training column's empirical CDF taken at mid-ranks,
///   F̂(x) = (#{xᵢ < x} + ½ #{xᵢ = x})/n, and F̂⁻¹ interpolates linearly between the
///   order statistics placed at their mid-rank plotting positions (k − ½)/n (Hazen's
///   plotting position, Hyndman & Fan 1996 type 5), held constant outside [½/n, 1 − ½/n].
///   So F̂⁻¹(F̂(x)) = x for every training value, ties (a column's atoms) keep their
///   mass, and no value outside [min, max] of the training column is ever generated:
///   tails are lost by construction.
/// - `normal`: N(μ̂, σ̂²) by maximum likelihood (σ̂² divides by n); the score is
///   (x − μ̂)/σ̂ exactly, so with every column normal the copula is the MLE Gaussian.
/// - `kde`: a Gaussian kernel density estimate with Scott's bandwidth
///   h = σ̂ n^(−1/5) (σ̂ the unbiased standard deviation, as `scipy.stats.gaussian_kde`);
///   F̂(x) = (1/n) Σ Φ((x − xᵢ)/h), inverted by safeguarded Newton steps in a
///   tabulated bracket. Scores clip F̂ to [10⁻¹², 1 − 10⁻¹²].
///
/// A column with one value (σ̂ = 0) is a point mass under every kind: score 0, value
/// that constant.
///
/// - `histogram` (``HistogramMarginal``) is no `model.marginals` kind: it is what the
///   DP fit (`model.dp`, ``CopulaDPMechanism``) releases for every numeric column.
public enum CopulaMarginal: Sendable {
    /// `model.marginals`.
    public enum Kind: String, CaseIterable, Sendable {
        case empirical, normal, kde
    }

    /// The training column, ascending.
    case empirical(sorted: [Double])
    /// μ̂ and σ̂ (σ̂² = (1/n) Σ (xᵢ − μ̂)²).
    case normal(mean: Double, sd: Double)
    /// The kernel centres (ascending), the bandwidth h and a CDF table for inversion.
    case kde(KernelMarginal)
    /// A histogram on fixed bounds (the DP fit's marginal).
    case histogram(HistogramMarginal)

    /// Fits the marginal to a training column (n ≥ 1 values).
    public static func fit(_ kind: Kind, _ x: [Double]) -> CopulaMarginal {
        switch kind {
        case .empirical:
            return .empirical(sorted: x.sorted())
        case .normal:
            let (m, sd) = CopulaFamily.meanAndSD(x)
            return .normal(mean: m, sd: sd)
        case .kde:
            return .kde(KernelMarginal(x))
        }
    }

    /// True when every parameter is finite.
    public var isFinite: Bool {
        switch self {
        case .empirical(let s): return s.allSatisfy { $0.isFinite }
        case .normal(let m, let s): return m.isFinite && s.isFinite
        case .kde(let k): return k.bandwidth.isFinite && k.centres.allSatisfy { $0.isFinite }
        case .histogram(let h): return h.probabilities.allSatisfy { $0.isFinite }
        }
    }

    /// The normal score of each training value, in the column's order.
    func scores(_ x: [Double]) -> [Double] {
        switch self {
        case .empirical:
            return Self.midRankScores(x)
        case .normal(let m, let s):
            return s > 0 ? x.map { ($0 - m) / s } : [Double](repeating: 0, count: x.count)
        case .kde(let k):
            guard k.bandwidth > 0 else { return [Double](repeating: 0, count: x.count) }
            return x.map { Probability.normalQuantile(min(max(k.cdf($0), Self.clip), 1 - Self.clip)) }
        case .histogram(let h):
            return x.map { Probability.normalQuantile(min(max(h.cdf($0), Self.clip), 1 - Self.clip)) }
        }
    }

    /// F̂ is clipped to [clip, 1 − clip] before Φ⁻¹ (kde).
    static let clip = 1e-12

    /// Φ⁻¹ of the mid-rank CDF (#{xᵢ < x} + ½ #{xᵢ = x})/n of each value of `x`: one
    /// walk over the rows in sorted order, one Φ⁻¹ per distinct value.
    static func midRankScores(_ x: [Double]) -> [Double] {
        let n = x.count
        var order = Array(0..<n)
        x.withUnsafeBufferPointer { v in order.sort { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) } }
        var out = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                var i = 0
                while i < n {
                    var k = i
                    while k < n && v[order[k]] == v[order[i]] { k += 1 }
                    let z = Probability.normalQuantile((Double(i) + 0.5 * Double(k - i)) / Double(n))
                    for r in i..<k { o[order[r]] = z }
                    i = k
                }
            }
        }
        return out
    }

    /// The value of normal score z: F̂⁻¹(Φ(z)).
    func value(score z: Double) -> Double {
        switch self {
        case .empirical(let sorted):
            return Self.interpolatedQuantile(Probability.normalCDF(z), sorted: sorted)
        case .normal(let m, let s):
            return m + s * z
        case .kde(let k):
            return k.quantile(Probability.normalCDF(z))
        case .histogram(let h):
            return h.quantile(Probability.normalCDF(z))
        }
    }

    /// The values of the scores z[offset], z[offset + stride], … (`count` of them): one
    /// column of a row-major score buffer through ``value(score:)``, the marginal's case
    /// matched once.
    func values(scores z: UnsafeBufferPointer<Double>, stride: Int, offset: Int, count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { o in
            switch self {
            case .normal(let m, let s):
                for i in 0..<count { o[i] = m + s * z[i * stride + offset] }
            case .empirical(let sorted):
                sorted.withUnsafeBufferPointer { x in
                    for i in 0..<count { o[i] = Self.interpolatedQuantile(Probability.normalCDF(z[i * stride + offset]), sorted: x) }
                }
            case .kde(let k):
                for i in 0..<count { o[i] = k.quantile(Probability.normalCDF(z[i * stride + offset])) }
            case .histogram(let h):
                for i in 0..<count { o[i] = h.quantile(Probability.normalCDF(z[i * stride + offset])) }
            }
        }
        return out
    }

    /// The linear interpolation of the order statistics x₍ₖ₎ placed at (k − ½)/n,
    /// constant beyond the first and last.
    static func interpolatedQuantile(_ u: Double, sorted s: [Double]) -> Double {
        s.withUnsafeBufferPointer { interpolatedQuantile(u, sorted: $0) }
    }

    @inline(__always)
    static func interpolatedQuantile(_ u: Double, sorted s: UnsafeBufferPointer<Double>) -> Double {
        let n = s.count
        let p = u * Double(n) - 0.5
        if !(p > 0) { return s[0] }
        if p >= Double(n - 1) { return s[n - 1] }
        let k = Int(p)
        let w = p - Double(k)
        return s[k] + w * (s[k + 1] - s[k])
    }
}

/// A 1-D Gaussian kernel density estimate with Scott's bandwidth, h = σ̂ n^(−1/5)
/// (Scott 1992; σ̂ the unbiased standard deviation, as `scipy.stats.gaussian_kde`), with
/// its CDF and a quantile function for the copula's ``CopulaMarginal/kde(_:)``.
public struct KernelMarginal: Sendable {
    /// The training values, ascending.
    public let centres: [Double]
    public let bandwidth: Double
    /// F̂ on an even grid over [min − 8h, max + 8h], to bracket quantiles.
    let grid: [Double]
    let gridCDF: [Double]

    /// Kernels further than this many bandwidths from x contribute 0 or 1 to F̂(x)
    /// (Φ(−8) ≈ 6·10⁻¹⁶).
    static let reach = 8.0

    init(_ x: [Double]) {
        let n = x.count
        centres = x.sorted()
        let m = Statistics.mean(x, count: n)
        let sd = n > 1 ? max(Statistics.variance(x, mean: m, ddof: 1, count: n), 0).squareRoot() : 0
        bandwidth = sd * pow(Double(n), -0.2)
        guard bandwidth > 0 else {
            grid = []
            gridCDF = []
            return
        }
        let lo = centres[0] - Self.reach * bandwidth, hi = centres[n - 1] + Self.reach * bandwidth
        let points = 257
        var g: [Double] = [], f: [Double] = []
        for i in 0..<points {
            let v = lo + (hi - lo) * Double(i) / Double(points - 1)
            g.append(v)
        }
        grid = g
        for v in g { f.append(Self.cdf(v, centres: centres, h: bandwidth)) }
        gridCDF = f
    }

    /// F̂(x) = (1/n) Σ Φ((x − xᵢ)/h); kernels beyond ``reach`` bandwidths count 0 or 1.
    /// - Complexity: O(log n + kernels within reach).
    public func cdf(_ x: Double) -> Double { Self.cdf(x, centres: centres, h: bandwidth) }

    static func cdf(_ x: Double, centres: [Double], h: Double) -> Double {
        let lo = EmpiricalDistribution.countBelow(x - reach * h, in: centres)
        let hi = EmpiricalDistribution.countAtOrBelow(x + reach * h, in: centres)
        var s = Double(lo)
        for i in lo..<hi { s += Probability.normalCDF((x - centres[i]) / h) }
        return s / Double(centres.count)
    }

    /// f̂(x) = (1/(nh)) Σ φ((x − xᵢ)/h), over the kernels within reach.
    func density(_ x: Double) -> Double {
        let h = bandwidth
        let lo = EmpiricalDistribution.countBelow(x - Self.reach * h, in: centres)
        let hi = EmpiricalDistribution.countAtOrBelow(x + Self.reach * h, in: centres)
        var s = 0.0
        for i in lo..<hi { s += Probability.normalPDF((x - centres[i]) / h) }
        return s / (Double(centres.count) * h)
    }

    /// F̂⁻¹(u): the grid bracket holding u, then Newton steps kept inside the bracket
    /// (bisection when a step leaves it), to |F̂(x) − u| ≤ 10⁻¹³ or 60 steps.
    public func quantile(_ u: Double) -> Double {
        guard bandwidth > 0 else { return centres[0] }
        var lo = 0, hi = grid.count - 1
        if u <= gridCDF[lo] { return grid[lo] }
        if u >= gridCDF[hi] { return grid[hi] }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if gridCDF[mid] < u { lo = mid } else { hi = mid }
        }
        var a = grid[lo], b = grid[hi]
        var x = a + (b - a) * (u - gridCDF[lo]) / max(gridCDF[hi] - gridCDF[lo], .leastNormalMagnitude)
        for _ in 0..<60 {
            let f = cdf(x) - u
            if abs(f) <= 1e-13 { break }
            if f < 0 { a = x } else { b = x }
            let d = density(x)
            var next = d > 0 ? x - f / d : .nan
            if !(next > a && next < b) { next = 0.5 * (a + b) }
            if next == x || b - a <= 1e-15 * max(abs(a), abs(b), 1) { break }
            x = next
        }
        return x
    }
}
