/// The Gaussian family's sufficient-statistic paths. A batch from N(μ, λBBᵀ) is
/// x = μ + √λ·B z with z standard normal, so its statistics are those of z mapped
/// through x = μ + √λ·B z (``GaussianStatistics/transformed(count:zMean:zScatter:mean:factor:)``).
extension GaussianFamily: ExactStatisticFamily {
    public func statistics(of data: Dataset) -> GaussianStatistics { GaussianStatistics(of: data) }

    public func merge(_ a: GaussianStatistics, _ b: GaussianStatistics) -> GaussianStatistics { a.merged(with: b) }

    /// N(x̄, S/(m − ddof)); NaN parameters (recorded as `non_finite_parameters`) when
    /// m ≤ ddof.
    public func fit(statistics s: GaussianStatistics) -> Model {
        let divisor = Double(s.count - estimator.ddof)
        let cov = SymmetricMatrix(dimension: s.dimension,
                                  values: s.scatter.map { divisor > 0 ? $0 / divisor : .nan })
        return Self.model(mean: divisor > 0 ? s.mean : s.mean.map { _ in .nan }, covariance: cov)
    }

    public var emptyOutput: Dataset { Dataset(values: [], dimension: dimension) }

    /// The model's factor with the temperature applied: √λ·B.
    func samplingFactor(_ model: Model) -> [Double] {
        let scale = temperature.squareRoot()
        return scale == 1 ? model.factor : model.factor.map { $0 * scale }
    }

    /// The sample metrics computed while drawing in 1-D: every one but `ks`, which
    /// needs the sorted points.
    static let streamedSampleMetrics: Set<MetricName> = [.sampleTailMassRatio, .sampleSkewness, .sampleKurtosis]

    public func needsPoints(for requested: Set<MetricName>) -> Bool {
        dimension == 1 ? requested.contains(.ks) : requested.contains(where: \.isSampleMetric)
    }

    /// One pass over the draws: each z is drawn (ziggurat), added to the running sums
    /// Σz and Σzzᵀ while it is in the prefix, and written out as μ + √λ·B z only when
    /// `keep` is set — the same values ``sample(_:count:truth:stream:)`` returns. In
    /// 1-D the requested sample metrics but `ks` come from running sums as well
    /// (``streamedMoments(_:count:prefix:keep:requested:stream:)``).
    /// - Complexity: O(count · d²) time, O(d²) memory unless `keep`.
    public func sampleStatistics(_ model: Model, count: Int, prefix: Int, keep: Bool, requested: Set<MetricName>,
                                 truth: Void, stream: RandomStream) -> SampledBatch<GaussianStatistics, Dataset> {
        precondition(prefix <= count)
        let d = dimension
        let b = samplingFactor(model)
        if d == 1, !requested.isDisjoint(with: Self.streamedSampleMetrics) {
            return streamedMoments(model, count: count, prefix: prefix, keep: keep, requested: requested, stream: stream)
        }
        var out = keep ? [Double](repeating: 0, count: count * d) : []
        var zSum = [Double](repeating: 0, count: d)
        var zSquares = [Double](repeating: 0, count: d * d)
        if d == 1 {
            let m = model.mean[0], s = b[0]
            var sum = 0.0, squares = 0.0
            out.withUnsafeMutableBufferPointer { p in
                Self.forEachNormalBlock(count, prefix: prefix, sum: &sum, squares: &squares, stream: stream) { z, start in
                    if keep { for i in z.indices { p[start + i] = m + s * z[i] } }
                }
            }
            zSum[0] = sum; zSquares[0] = squares
        } else {
            var z = [Double](repeating: 0, count: d)
            for r in 0..<count {
                for k in 0..<d { z[k] = stream.standardNormal() }
                if r < prefix {
                    for k in 0..<d {
                        zSum[k] += z[k]
                        for l in k..<d { zSquares[k * d + l] += z[k] * z[l] }
                    }
                }
                if keep {
                    for i in 0..<d {
                        var acc = model.mean[i]
                        for k in 0..<d { acc += b[i * d + k] * z[k] }
                        out[r * d + i] = acc
                    }
                }
            }
            for k in 0..<d { for l in 0..<k { zSquares[k * d + l] = zSquares[l * d + k] } }
        }
        let stats = Self.statistics(count: prefix, zSum: zSum, zSquares: zSquares, mean: model.mean, factor: b)
        return SampledBatch(statistics: stats, output: keep ? Dataset(values: out, dimension: d) : nil)
    }

    /// The 1-D pass that also yields the batch's sample metrics: the tail count of
    /// x = μ + s z outside the real 1% / 99% quantiles, and the power sums Σzᵏ
    /// (k ≤ 4) of the whole batch, whose central moments c₂…c₄ give GSL's
    /// definitions exactly (x and z have the same standardised moments when s > 0):
    /// skewness c₃/σ³ and excess kurtosis c₄/σ⁴ − 3 with σ² = c₂·n/(n − 1). NaN, as
    /// GSL gives, when the batch is one point or the model a point mass.
    func streamedMoments(_ model: Model, count: Int, prefix: Int, keep: Bool, requested: Set<MetricName>,
                         stream: RandomStream) -> SampledBatch<GaussianStatistics, Dataset> {
        let m = model.mean[0], s = samplingFactor(model)[0]
        let low = real.q01[0], high = real.q99[0]
        var out = keep ? [Double](repeating: 0, count: count) : []
        var sum = 0.0, squares = 0.0
        // Σz, Σz², Σz³, Σz⁴ and the tail count, four lanes at a time (summed across
        // lanes at the end; the lane order is fixed, so results are reproducible).
        var p1 = SIMD4<Double>(), p2 = SIMD4<Double>(), p3 = SIMD4<Double>(), p4 = SIMD4<Double>()
        var tails = SIMD4<Double>()
        let mv = SIMD4<Double>(repeating: m), sv = SIMD4<Double>(repeating: s)
        let lowv = SIMD4<Double>(repeating: low), highv = SIMD4<Double>(repeating: high)
        let one = SIMD4<Double>(repeating: 1), zero = SIMD4<Double>()
        out.withUnsafeMutableBufferPointer { p in
            Self.forEachNormalBlock(count, prefix: prefix, sum: &sum, squares: &squares, stream: stream) { z, start in
                if keep { for i in z.indices { p[start + i] = m + s * z[i] } }
                var i = 0
                while i + 4 <= z.count {
                    let v = SIMD4<Double>(z[i], z[i + 1], z[i + 2], z[i + 3])
                    let x = mv + sv * v
                    tails += zero.replacing(with: one, where: (x .< lowv) .| (x .> highv))
                    let v2 = v * v
                    p1 += v; p2 += v2; p3 += v2 * v; p4 += v2 * v2
                    i += 4
                }
                while i < z.count {  // the last block's remainder, in lane 0
                    let v = z[i], x = m + s * v
                    if x < low || x > high { tails[0] += 1 }
                    let v2 = v * v
                    p1[0] += v; p2[0] += v2; p3[0] += v2 * v; p4[0] += v2 * v2
                    i += 1
                }
            }
        }
        let s1 = p1.sum(), s2 = p2.sum(), s3 = p3.sum(), s4 = p4.sum()
        let outside = tails.sum()
        var batch = SampledBatch(
            statistics: Self.statistics(count: prefix, zSum: [sum], zSquares: [squares], mean: model.mean, factor: [s]),
            output: keep ? Dataset(values: out, dimension: 1) : nil)
        guard count > 0 else { return batch }  // no batch: the metrics stay NaN
        let n = Double(count)
        let mean = s1 / n
        let c2 = max(s2 / n - mean * mean, 0)
        let c3 = s3 / n - 3 * mean * s2 / n + 2 * mean * mean * mean
        let c4 = s4 / n - 4 * mean * s3 / n + 6 * mean * mean * s2 / n - 3 * mean * mean * mean * mean
        let variance = count > 1 && s != 0 ? c2 * n / (n - 1) : .nan
        batch.streamedMetrics = requested.intersection(Self.streamedSampleMetrics)
        batch.streamed[.sampleTailMassRatio] = outside / n / (2 * RealReference.tailProbability)
        batch.streamed[.sampleSkewness] = c3 / (variance * variance.squareRoot())
        batch.streamed[.sampleKurtosis] = c4 / (variance * variance) - 3
        return batch
    }

    /// Draws `count` standard normals in blocks of up to 256 into a stack buffer and
    /// hands each block to `body` with the index of its first draw, adding the first
    /// `prefix` draws to `sum` and `squares` as they are drawn (in draw order, as the
    /// other 1-D paths do, so every path fits the same numbers). The loops over a
    /// block make no calls, so their running sums can stay in registers (every vector
    /// register is caller-saved around the call into GSL); memory stays O(1).
    @inline(__always)
    static func forEachNormalBlock(_ count: Int, prefix: Int, sum: inout Double, squares: inout Double,
                                   stream: RandomStream,
                                   _ body: (UnsafeMutableBufferPointer<Double>, Int) -> Void) {
        guard count > 0 else { return }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 256) { buffer in
            var start = 0
            while start < count {
                let block = UnsafeMutableBufferPointer(rebasing: buffer[0..<min(256, count - start)])
                stream.fillStandardNormals(block, summingFirst: prefix - start, sum: &sum, squares: &squares)
                body(block, start)
                start += block.count
            }
        }
    }

    /// The mean of m draws is μ + B z̄ with z̄ ~ N(0, I/m), and independently their
    /// scatter is B W Bᵀ with W ~ Wishart_d(m − 1, I) — in 1-D, σ²χ²_{m−1} (Cochran's
    /// theorem). W comes from ``wishartIdentity(dof:dimension:stream:)``.
    /// - Complexity: O(d³), whatever `count`.
    public func drawStatistics(_ model: Model, count: Int, truth: Void, stream: RandomStream) -> GaussianStatistics {
        Self.exactStatistics(count: count, mean: model.mean, factor: samplingFactor(model), stream: stream)
    }

    /// Exact for normal real data (``NormalDistribution``); real draws reduced to
    /// their statistics for the other real distributions.
    public func drawRealStatistics(_ count: Int, truth: Void, stream: RandomStream) -> GaussianStatistics {
        if let normal = real.distribution as? NormalDistribution {
            return Self.exactStatistics(count: count, mean: normal.mean, factor: normal.choleskyFactor, stream: stream)
        }
        return GaussianStatistics(of: drawReal(count, truth: (), stream: stream))
    }

    static func exactStatistics(count m: Int, mean: [Double], factor: [Double],
                                stream: RandomStream) -> GaussianStatistics {
        let d = mean.count
        guard m > 0 else { return .empty(dimension: d) }
        let rootM = Double(m).squareRoot()
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

    /// Statistics of μ + B z from the running sums Σz and Σzzᵀ of m standard-normal
    /// vectors: z̄ = Σz/m and Z = Σzzᵀ − m z̄z̄ᵀ (no cancellation: z̄ is O(1/√m)).
    static func statistics(count m: Int, zSum: [Double], zSquares: [Double], mean: [Double],
                           factor: [Double]) -> GaussianStatistics {
        let d = mean.count
        guard m > 0 else { return .empty(dimension: d) }
        let zMean = zSum.map { $0 / Double(m) }
        var z = zSquares
        for i in 0..<d { for j in 0..<d { z[i * d + j] -= Double(m) * zMean[i] * zMean[j] } }
        for i in 0..<d { z[i * d + i] = max(z[i * d + i], 0) }  // rounding, when all z are equal
        return GaussianStatistics.transformed(count: m, zMean: zMean, zScatter: z, mean: mean, factor: factor)
    }
}
