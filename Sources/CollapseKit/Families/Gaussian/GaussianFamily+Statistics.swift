/// The Gaussian family's sufficient-statistic paths. A batch from N(μ, λBBᵀ) is
/// x = μ + √λ·B z with z standard normal. Sample mode sums the deviations x − μ of the
/// drawn points; exact statistics draw z̄ and the scatter of z and map them through
/// x = μ + √λ·B z (``GaussianStatistics/transformed(count:zMean:zScatter:mean:factor:)``).
extension GaussianFamily: ExactStatisticFamily {
    public func statistics(of data: Dataset) -> GaussianStatistics { GaussianStatistics(of: data) }

    public func merge(_ a: GaussianStatistics, _ b: GaussianStatistics) -> GaussianStatistics { a.merged(with: b) }

    /// N(x̄, S/(m − ddof)); NaN parameters (recorded as `non_finite_parameters`) when
    /// m ≤ ddof.
    public func fit(statistics s: GaussianStatistics) -> Model {
        let divisor = Double(s.count - estimator.ddof)
        if s.dimension == 1 {
            let v = divisor > 0 ? s.scatter[0] / divisor : .nan
            return Self.model(mean: divisor > 0 ? s.mean : [.nan], covariance: SymmetricMatrix(dimension: 1, values: [v]))
        }
        let cov = SymmetricMatrix(dimension: s.dimension,
                                  values: s.scatter.map { divisor > 0 ? $0 / divisor : .nan })
        return Self.model(mean: divisor > 0 ? s.mean : s.mean.map { _ in .nan }, covariance: cov)
    }


    /// The model's factor with the temperature applied: √λ·B.
    func samplingFactor(_ model: Model) -> [Double] {
        let scale = temperature.squareRoot()
        return scale == 1 ? model.factor : model.factor.map { $0 * scale }
    }

    /// The sample metrics computed while drawing in 1-D: every one but `ks`, which
    /// needs the sorted points.
    static let streamedSampleMetrics: Set<MetricName> = [.sampleTailMassRatio, .sampleSkewness, .sampleKurtosis]

    public func streamedMetrics(for requested: Set<MetricName>) -> Set<MetricName> {
        dimension == 1 ? requested.intersection(Self.streamedSampleMetrics) : []
    }

    /// One pass over the draws: each point x = μ + √λ·B z (z by the ziggurat, the same
    /// values ``sample(_:count:truth:stream:)`` returns) is reduced, while it is in
    /// the prefix, to its rounded deviation δ = x − μ, summed into Σδ and Σδδᵀ; the
    /// points are stored only when `keep` is set. Working on the rounded points, not on
    /// z, the fit sees what a fit to the points sees: once √λ·σ falls below the
    /// resolution of μ every x equals μ and the variance is exactly 0
    /// (`variance_collapsed`). In 1-D the `streaming` sample metrics come from running
    /// sums of the same pass (``samplePoints1D(_:count:prefix:keep:moments:stream:)``).
    /// - Complexity: O(count · d²) time, O(d²) memory unless `keep`.
    public func sampleStatistics(_ model: Model, count: Int, prefix: Int, keep: Bool, streaming: Set<MetricName>,
                                 truth: RowPool?, stream: RandomStream) -> SampledBatch<GaussianStatistics, Dataset> {
        precondition(prefix <= count)
        let d = dimension
        if d == 1 {
            return samplePoints1D(model, count: count, prefix: prefix, keep: keep, moments: !streaming.isEmpty,
                                  stream: stream)
        }
        let b = samplingFactor(model)
        var out = keep ? [Double](repeating: 0, count: count * d) : []
        var deviationSum = [Double](repeating: 0, count: d)
        var deviationSquares = [Double](repeating: 0, count: d * d)
        var z = [Double](repeating: 0, count: d), delta = [Double](repeating: 0, count: d)
        for r in 0..<count {
            for k in 0..<d { z[k] = stream.standardNormal() }
            guard keep || r < prefix else { continue }
            for i in 0..<d {
                var acc = model.mean[i]
                for k in 0..<d { acc += b[i * d + k] * z[k] }
                if keep { out[r * d + i] = acc }
                delta[i] = acc - model.mean[i]
            }
            if r < prefix {
                for k in 0..<d {
                    deviationSum[k] += delta[k]
                    for l in k..<d { deviationSquares[k * d + l] += delta[k] * delta[l] }
                }
            }
        }
        for k in 0..<d { for l in 0..<k { deviationSquares[k * d + l] = deviationSquares[l * d + k] } }
        let stats = GaussianStatistics(count: prefix, deviationSum: deviationSum, deviationSquares: deviationSquares,
                                       around: model.mean)
        return SampledBatch(statistics: stats, output: keep ? Dataset(values: out, dimension: d) : nil)
    }

    /// The 1-D pass: points drawn in blocks (``forEachNormalBlock(_:mean:sd:prefix:sum:squares:into:stream:_:)``),
    /// straight into the output when it is kept, with Σδ, Σδ² of the prefix for the
    /// fit and, when `moments` is set, the batch's sample metrics (``PowerSums``).
    func samplePoints1D(_ model: Model, count: Int, prefix: Int, keep: Bool, moments: Bool,
                        stream: RandomStream) -> SampledBatch<GaussianStatistics, Dataset> {
        let m = model.mean[0]
        var out = keep ? [Double](repeating: 0, count: count) : []
        var sum = 0.0, squares = 0.0
        var sums = PowerSums(centre: m, low: real.q01[0], high: real.q99[0], tailShare: real.tailShare)
        out.withUnsafeMutableBufferPointer { p in
            Self.forEachNormalBlock(count, mean: m, sd: samplingFactor(model)[0], prefix: prefix, sum: &sum,
                                    squares: &squares, into: keep ? p : nil, stream: stream) { x in
                if moments { sums.add(x) }
            }
        }
        var batch = SampledBatch(
            statistics: GaussianStatistics(count: prefix, deviationSum: [sum], deviationSquares: [squares], around: [m]),
            output: keep ? Dataset(values: out, dimension: 1) : nil)
        if moments { sums.metrics(count: count, into: &batch.streamed) }
        return batch
    }

    /// Draws `count` points x = mean + sd·z (z standard normal) in blocks of up to 256
    /// — into `destination` when given, else into a stack buffer — and hands each block
    /// to `body`, adding the deviations x − mean of the first `prefix` points to `sum`
    /// and their squares to `squares` as they are drawn
    /// (``RandomStream/fillNormals(_:mean:sd:summingFirst:sum:squares:)``). The loops
    /// over a block make no calls, so their running sums can stay in registers (every
    /// vector register is caller-saved around the call into GSL); without a
    /// destination memory stays O(1).
    @inline(__always)
    static func forEachNormalBlock(_ count: Int, mean: Double, sd: Double, prefix: Int, sum: inout Double,
                                   squares: inout Double, into destination: UnsafeMutableBufferPointer<Double>?,
                                   stream: RandomStream, _ body: (UnsafeMutableBufferPointer<Double>) -> Void) {
        guard count > 0 else { return }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 256) { buffer in
            var start = 0
            while start < count {
                let k = min(256, count - start)
                let block = destination.map { UnsafeMutableBufferPointer(rebasing: $0[start..<(start + k)]) }
                    ?? UnsafeMutableBufferPointer(rebasing: buffer[0..<k])
                stream.fillNormals(block, mean: mean, sd: sd, summingFirst: prefix - start, sum: &sum, squares: &squares)
                body(block)
                start += k
            }
        }
    }

    /// The mean of m draws is μ + B z̄ with z̄ ~ N(0, I/m), and independently their
    /// scatter is B W Bᵀ with W ~ Wishart_d(m − 1, I) — in 1-D, σ²χ²_{m−1} (Cochran's
    /// theorem). W comes from ``wishartIdentity(dof:dimension:stream:)``.
    /// - Complexity: O(d³), whatever `count`.
    public func drawStatistics(_ model: Model, count: Int, truth: RowPool?, stream: RandomStream) -> GaussianStatistics {
        Self.exactStatistics(count: count, mean: model.mean, factor: samplingFactor(model), stream: stream)
    }

    /// Exact for normal real data (``NormalDistribution``); real draws reduced to
    /// their statistics for the other real distributions.
    public func drawRealStatistics(_ count: Int, truth: RowPool?, stream: RandomStream) -> GaussianStatistics {
        if let normal = real.distribution as? NormalDistribution {
            return Self.exactStatistics(count: count, mean: normal.mean, factor: normal.choleskyFactor, stream: stream)
        }
        return GaussianStatistics(of: drawReal(count, truth: truth, stream: stream))
    }

    static func exactStatistics(count m: Int, mean: [Double], factor: [Double],
                                stream: RandomStream) -> GaussianStatistics {
        let d = mean.count
        guard m > 0 else { return .empty(dimension: d) }
        let rootM = Double(m).squareRoot()
        if d == 1 {
            // The same draws and arithmetic as below, without the intermediate arrays:
            // this is most of a 1-D chain's work.
            let zMean = stream.standardNormal() / rootM
            let w = m > 1 ? stream.chiSquared(dof: Double(m - 1)) : 0
            let b = factor[0]
            return GaussianStatistics(count: m, mean: [mean[0] + b * zMean], scatter: [b * b * w])
        }
        let zMean = (0..<d).map { _ in stream.standardNormal() / rootM }
        let w = wishartIdentity(dof: m - 1, dimension: d, stream: stream)
        return GaussianStatistics.transformed(count: m, zMean: zMean, zScatter: w, mean: mean, factor: factor)
    }

    /// W ~ Wishart_d(k, I), row-major. For k ≥ d by Bartlett's decomposition
    /// (Bartlett 1933; Odell & Feiveson, JASA 61, 1966): W = A Aᵀ with A lower
    /// triangular, A_ii² ~ χ²_{k−i} (i = 0…d−1), A_ij ~ N(0, 1) below the diagonal.
    /// For k < d (a singular Wishart) directly as Σ_{r<k} g_r g_rᵀ, g_r ~ N(0, I_d).
    static func wishartIdentity(dof k: Int, dimension d: Int, stream: RandomStream) -> [Double] {
        var w = [Double](repeating: 0, count: d * d)
        if d == 1 {
            w[0] = k > 0 ? stream.chiSquared(dof: Double(k)) : 0
            return w
        }
        if k < d {
            var g = [Double](repeating: 0, count: d)
            for _ in 0..<k {
                for i in 0..<d { g[i] = stream.standardNormal() }
                for i in 0..<d { for j in 0..<d { w[i * d + j] += g[i] * g[j] } }
            }
            return w
        }
        var a = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            a[i * d + i] = stream.chiSquared(dof: Double(k - i)).squareRoot()
            for j in 0..<i { a[i * d + j] = stream.standardNormal() }
        }
        for i in 0..<d {
            for j in 0...i {
                var acc = 0.0
                for l in 0...j { acc += a[i * d + l] * a[j * d + l] }
                w[i * d + j] = acc
                w[j * d + i] = acc
            }
        }
        return w
    }
}

/// The running sums behind the 1-D sample metrics of a batch: the count of points
/// outside the real 1% / 99% quantiles, and the power sums Σδᵏ (k ≤ 4) of their
/// deviations δ = x − c from the model mean c, four lanes at a time (summed across lanes
/// at the end; the lane order is fixed, so results are reproducible). The central
/// moments c₂…c₄ give GSL's definitions (`gsl_stats_skew`, `gsl_stats_kurtosis`, to
/// rounding): skewness c₃/σ³ and excess kurtosis c₄/σ⁴ − 3 with σ² = c₂·n/(n − 1); NaN,
/// as GSL gives, for a one-point batch or when every point is equal.
struct PowerSums {
    private var p1 = SIMD4<Double>(), p2 = SIMD4<Double>(), p3 = SIMD4<Double>(), p4 = SIMD4<Double>()
    private var tails = SIMD4<Double>()
    private let centre: Double, low: Double, high: Double, tailShare: Double

    init(centre: Double, low: Double, high: Double, tailShare: Double) {
        self.centre = centre
        self.low = low
        self.high = high
        self.tailShare = tailShare
    }

    @inline(__always)
    mutating func add(_ x: UnsafeMutableBufferPointer<Double>) {
        let cv = SIMD4<Double>(repeating: centre)
        let lowv = SIMD4<Double>(repeating: low), highv = SIMD4<Double>(repeating: high)
        let one = SIMD4<Double>(repeating: 1), zero = SIMD4<Double>()
        var i = 0
        while i + 4 <= x.count {
            let xv = SIMD4<Double>(x[i], x[i + 1], x[i + 2], x[i + 3])
            tails += zero.replacing(with: one, where: (xv .< lowv) .| (xv .> highv))
            let v = xv - cv, v2 = v * v
            p1 += v; p2 += v2; p3 += v2 * v; p4 += v2 * v2
            i += 4
        }
        while i < x.count {  // the last block's remainder, in lane 0
            if x[i] < low || x[i] > high { tails[0] += 1 }
            let v = x[i] - centre, v2 = v * v
            p1[0] += v; p2[0] += v2; p3[0] += v2 * v; p4[0] += v2 * v2
            i += 1
        }
    }

    /// Writes `sample_tail_mass_ratio`, `sample_skewness` and `sample_kurtosis` of the
    /// `count` points added (nothing for an empty batch: they stay NaN).
    func metrics(count: Int, into values: inout MetricValues) {
        guard count > 0 else { return }
        let s1 = p1.sum(), s2 = p2.sum(), s3 = p3.sum(), s4 = p4.sum()
        let n = Double(count)
        let mean = s1 / n
        let c2 = max(s2 / n - mean * mean, 0)
        let c3 = s3 / n - 3 * mean * s2 / n + 2 * mean * mean * mean
        let c4 = s4 / n - 4 * mean * s3 / n + 6 * mean * mean * s2 / n - 3 * mean * mean * mean * mean
        let variance = count > 1 && c2 > 0 ? c2 * n / (n - 1) : .nan
        values[.sampleTailMassRatio] = tails.sum() / n / tailShare
        values[.sampleSkewness] = c3 / (variance * variance.squareRoot())
        values[.sampleKurtosis] = c4 / (variance * variance) - 3
    }
}
