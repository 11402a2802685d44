import Foundation

/// The empirical distribution of a file's numeric columns: each of its N rows with
/// mass 1/N. It stands in for the real distribution when real data come from a file:
/// moments are the file's (covariance divides by N), marginal CDFs and quantiles are
/// the file's empirical ones, and it has no density (so `kl` is unavailable).
///
/// Chains draw its rows without replacement (``RowPool``); ``sample(count:stream:)``
/// (i.i.d., with replacement) exists for completeness.
public struct EmpiricalDistribution: RealDistribution {
    public let dimension: Int
    /// Column j's values in file order (shared with the table, not copied).
    public let columns: [[Double]]
    public let mean: [Double]
    public let covariance: SymmetricMatrix
    /// Each coordinate's values, ascending.
    public let sortedColumns: [[Double]]

    public init(columns: [[Double]]) {
        precondition(!columns.isEmpty && !columns[0].isEmpty)
        let d = columns.count, n = columns[0].count
        self.dimension = d
        self.columns = columns
        let mean = columns.map { Statistics.mean($0, count: n) }
        var cov = SymmetricMatrix.diagonal([Double](repeating: 0, count: d))
        for a in 0..<d {
            for b in a..<d {
                var s = 0.0
                for i in 0..<n { s += (columns[a][i] - mean[a]) * (columns[b][i] - mean[b]) }
                cov[a, b] = s / Double(n)
                cov[b, a] = cov[a, b]
            }
        }
        self.mean = mean
        self.covariance = cov
        self.sortedColumns = columns.map { $0.sorted() }
    }

    public var rowCount: Int { columns[0].count }
    public var hasDensity: Bool { false }
    public var entropy: Double { .nan }

    /// The rows at `rows`, n×d row-major.
    public func rows(_ rows: [Int]) -> [Double] {
        let d = dimension
        var out = [Double](); out.reserveCapacity(rows.count * d)
        for r in rows { for j in 0..<d { out.append(columns[j][r]) } }
        return out
    }

    public func sample(count: Int, stream: RandomStream) -> [Double] {
        rows((0..<count).map { _ in stream.uniformIndex(below: rowCount) })
    }

    /// F_N(x): the share of the file's values ≤ x.
    public func marginalCDF(_ x: Double, coordinate j: Int) -> Double {
        Double(Self.countAtOrBelow(x, in: sortedColumns[j])) / Double(sortedColumns[j].count)
    }

    /// The empirical quantile inf{x : F_N(x) ≥ p}: the ⌈pN⌉-th smallest value.
    public func marginalQuantile(_ p: Double, coordinate j: Int) -> Double {
        let s = sortedColumns[j]
        let k = min(max(Int((p * Double(s.count)).rounded(.up)), 1), s.count)
        return s[k - 1]
    }

    public func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double { .nan }

    /// sup_x |F_n(x) − F_N(x)| between a sorted sample and the file's column (the
    /// two-sample Kolmogorov–Smirnov statistic, exact with ties on either side). Both
    /// are step functions, so the supremum is reached at a sample value z or just
    /// before it: the max over z of |F_n(z) − F_N(z)| and |F_n(z−) − F_N(z−)|, with F_N
    /// by binary search. O(n log N).
    public func kolmogorovSmirnov(sorted x: [Double], coordinate j: Int) -> Double {
        let y = sortedColumns[j]
        let n = Double(x.count), m = Double(y.count)
        var d = 0.0, i = 0
        while i < x.count {
            let z = x[i]
            var k = i
            while k < x.count && x[k] == z { k += 1 }
            let below = Self.countBelow(z, in: y), atOrBelow = Self.countAtOrBelow(z, in: y)
            d = max(d, abs(Double(i) / n - Double(below) / m), abs(Double(k) / n - Double(atOrBelow) / m))
            i = k
        }
        return d
    }

    /// The number of values of ascending `y` that are < z.
    static func countBelow(_ z: Double, in y: [Double]) -> Int {
        var lo = 0, hi = y.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if y[mid] < z { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The number of values of ascending `y` that are ≤ z.
    static func countAtOrBelow(_ z: Double, in y: [Double]) -> Int {
        var lo = 0, hi = y.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if y[mid] <= z { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// K = Σᵢ x₍ᵢ₎ [φ(Φ⁻¹((i−1)/N)) − φ(Φ⁻¹(i/N))] for coordinate j: the cross term of
    /// the exact 1-D W₂ between N(μ, σ²) and the file's column,
    /// W₂² = (μ − m)² + s² + σ² − 2σK (the quantile coupling, integrated bin by bin).
    public func gaussianCrossTerm(coordinate j: Int) -> Double {
        let s = sortedColumns[j]
        let n = Double(s.count)
        var previous = 0.0, total = 0.0
        for (i, x) in s.enumerated() {
            let u = Double(i + 1) / n
            let phi = i + 1 == s.count ? 0 : Probability.normalPDF(Probability.normalQuantile(u))
            total += x * (previous - phi)
            previous = phi
        }
        return total
    }
}
