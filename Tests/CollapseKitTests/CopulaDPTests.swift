import Foundation
import Testing
@testable import CollapseKit

/// The copula's DP fit (``CopulaDPMechanism``), the histogram marginal it releases, the
/// tighter moment sensitivity of the multivariate DP Gaussian, and the copula's
/// log-density for the likelihood attack (``CopulaFamily/logDensity(_:of:)``): each
/// against a closed form, a direct computation or Monte Carlo within 4 SE.
struct CopulaDPTests {
    static let twoColumns = TableSchema.numeric(dimension: 2)

    /// The histogram on [−1, 3] with weights 1, 0, 3 (bins of width 4/3): F at the
    /// edges 0, ¼, ¼, 1; F⁻¹ inverts F and skips the empty bin; the density integrates to 1.
    @Test func histogramMarginal() {
        let h = HistogramMarginal(lower: -1, upper: 3, weights: [1, 0, 3])
        let w = 4.0 / 3
        #expect(h.cdf(-5) == 0 && h.cdf(-1) == 0 && h.cdf(3) == 1 && h.cdf(9) == 1)
        #expect(abs(h.cdf(-1 + w) - 0.25) < 1e-15 && abs(h.cdf(-1 + 2 * w) - 0.25) < 1e-15)
        #expect(abs(h.cdf(-1 + 0.5 * w) - 0.125) < 1e-15)
        for u in stride(from: 0.01, to: 1, by: 0.01) { #expect(abs(h.cdf(h.quantile(u)) - u) < 1e-12, "u = \(u)") }
        #expect(h.quantile(0.25 + 1e-9) > -1 + 2 * w - 1e-12, "the empty bin is skipped")
        #expect(h.logDensity(-1 + 1.5 * w) == -.infinity && h.logDensity(3.5) == -.infinity)
        #expect(abs(exp(h.logDensity(0)) * w + exp(h.logDensity(2.5)) * w - 1) < 1e-14)
        #expect(h.bin(-7) == 0 && h.bin(3) == 2 && h.bin(-1 + w) == 1)
    }

    /// The moment sensitivity Δ₂ = √(d·D² + ½d(d − 1)·P²) bounds
    /// ‖upper(xxᵀ) − upper(yyᵀ)‖ for every x, y in [lo, hi]ᵈ (all corner pairs of
    /// {lo, 0, hi}ᵈ and random pairs), and is not loose by more than a factor 2; on
    /// [−8, 8]² it is 64√6, below the earlier 2dM = 256.
    @Test(arguments: [(-8.0, 8.0, 2), (-1.0, 3.0, 3), (0.5, 2.0, 2), (-2.0, -1.0, 4)])
    func momentSensitivityBoundsEveryNeighbour(lo: Double, hi: Double, d: Int) {
        let mechanism = GaussianMomentsMechanism(lower: lo, upper: hi, dimension: d, rho: 1)
        func upper(_ x: [Double]) -> [Double] { (0..<d).flatMap { a in (a..<d).map { b in x[a] * x[b] } } }
        func distance(_ x: [Double], _ y: [Double]) -> Double {
            zip(upper(x), upper(y)).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        }
        let levels = [lo, min(max(0, lo), hi), hi]
        let corners = (0..<Int(pow(3, Double(d)))).map { code in (0..<d).map { levels[(code / Int(pow(3, Double($0)))) % 3] } }
        var largest = 0.0
        for x in corners { for y in corners { largest = max(largest, distance(x, y)) } }
        let stream = RandomStream(key: StreamKey(seed: 21, cell: 0, replicate: 0))
        for _ in 0..<20_000 {
            let x = (0..<d).map { _ in lo + (hi - lo) * stream.uniform() }, y = (0..<d).map { _ in lo + (hi - lo) * stream.uniform() }
            largest = max(largest, distance(x, y))
        }
        #expect(largest <= mechanism.momentSensitivity * (1 + 1e-12), "largest \(largest) > Δ₂ \(mechanism.momentSensitivity)")
        #expect(largest >= 0.5 * mechanism.momentSensitivity, "largest \(largest), Δ₂ \(mechanism.momentSensitivity)")
        if lo == -8, d == 2 { #expect(abs(mechanism.momentSensitivity - 64 * 6.0.squareRoot()) < 1e-12) }
    }

    /// The split of ρ: d histograms of L2 sensitivity √2 each at σ_h = √(2d/ρ), plus the
    /// moments' two releases, add up to the fit's ρ (Bun & Steinke's Δ²/(2σ²) each).
    @Test func theReleasesSpendTheFitsRho() {
        let schema = TableSchema(columns: [.init(name: "x", type: .numeric), .init(name: "g", type: .categorical, levels: ["a", "b"]),
                                           .init(name: "y", type: .numeric)])
        let rho = ZeroConcentratedDP.rho(epsilon: 1, delta: 1e-6)
        let m = CopulaDPMechanism(schema: schema, bounds: [(0, 1), (-5, 5)], bins: 16, scoreBound: 2, rho: rho)
        let h = m.histograms.sigma, q = m.moments
        let spent = 3 * 2 / (2 * h * h) + pow(q.sumSensitivity, 2) / (2 * pow(q.sumSigma, 2))
            + pow(q.momentSensitivity, 2) / (2 * pow(q.momentSigma, 2))
        #expect(abs(spent - rho) < 1e-12 * rho, "\(spent) against ρ = \(rho)")
        #expect(abs(h * h - 6 / rho) < 1e-9 * h * h)
    }

    /// The exact histograms the mechanism adds noise to, counted by hand: x in 4 bins on
    /// [0, 2] (values clipped: −3 → bin 0, 2 and 7 → bin 3), g by level.
    @Test func histogramCountsByHand() {
        let schema = TableSchema(columns: [.init(name: "g", type: .categorical, levels: ["a", "b", "c"]), .init(name: "x", type: .numeric)])
        let table = MixedTable(schema: schema, numeric: [[-3, 0.4, 0.5, 1.2, 2, 7]], categorical: [[0, 2, 2, 2, 0, 2]])
        let m = CopulaDPMechanism(schema: schema, bounds: [(0, 2)], bins: 4, scoreBound: 2, rho: 1)
        #expect(m.histogramCounts(table) == [[2, 0, 4], [2, 1, 1, 2]])
    }

    /// With ρ = 10¹⁴ the noise vanishes: the released histogram is the counts / n and R
    /// the Pearson correlation of the clipped scores, computed here directly from the
    /// histogram CDF (piecewise linear through the cumulative counts).
    @Test func noiselessReleaseIsThePlainHistogramCopula() throws {
        let stream = RandomStream(key: StreamKey(seed: 5, cell: 0, replicate: 0))
        let n = 3000
        var values: [Double] = []
        for _ in 0..<n {
            let a = stream.standardNormal(), b = stream.standardNormal()
            values += [a, 0.7 * a + 0.71414284285 * b]
        }
        let table = MixedTable(rowMajor: values, dimension: 2)
        let m = CopulaDPMechanism(schema: Self.twoColumns, bounds: [(-4, 4), (-4, 4)], bins: 20, scoreBound: 2, rho: 1e14)
        let (marginals, _, r) = m.release(table, stream: stream)
        let counts = m.histogramCounts(table)
        var z: [[Double]] = [[], []]
        for j in 0..<2 {
            guard case .histogram(let h) = marginals[j] else { Issue.record("not a histogram"); return }
            for k in 0..<20 { #expect(abs(h.probabilities[k] - Double(counts[j][k]) / Double(n)) < 1e-9) }
            let cumulative = counts[j].reduce(into: [0.0]) { $0.append($0.last! + Double($1) / Double(n)) }
            z[j] = table.numeric[j].map { x in
                let c = min(max(x, -4), 4), k = min(Int((c + 4) / 0.4), 19)
                let u = cumulative[k] + (cumulative[k + 1] - cumulative[k]) * (c - (-4 + 0.4 * Double(k))) / 0.4
                return min(max(Probability.normalQuantile(min(max(u, 1e-12), 1 - 1e-12)), -2), 2)
            }
        }
        let mean = z.map { $0.reduce(0, +) / Double(n) }
        func cov(_ a: Int, _ b: Int) -> Double { zip(z[a], z[b]).map { ($0 - mean[a]) * ($1 - mean[b]) }.reduce(0, +) / Double(n) }
        let direct = cov(0, 1) / (cov(0, 0) * cov(1, 1)).squareRoot()
        #expect(abs(r[0, 1] - direct) < 1e-6, "released \(r[0, 1]), direct \(direct)")
        #expect(direct > 0.6 && direct < 0.7)
    }

    /// The released marginals' noise, on a mixed table (x uniform on [0, 1] in 4 bins,
    /// g with two levels; every count near 1000, so clipping at 0 never acts): a released
    /// share is p̃_k = (c_k + e_k)/(n + Σe) with e ~ N(0, σ_h²), σ_h² = 2d/ρ, so to first
    /// order Var(p̃_k) = σ_h²/n² · ((1 − p_k)² + (K − 1)p_k²) over K bins or levels. 400
    /// releases at ε = 1: each share's mean within 4 SE of c_k/n and its variance within
    /// 4 SE of the formula; with ρ = 10¹⁴ the shares are c_k/n.
    @Test func releasedMarginalsHaveTheirNoise() {
        let schema = TableSchema(columns: [.init(name: "x", type: .numeric), .init(name: "g", type: .categorical, levels: ["a", "b"])])
        let n = 4000, releases = 400
        let stream = RandomStream(key: StreamKey(seed: 29, cell: 0, replicate: 0))
        let table = MixedTable(schema: schema, numeric: [(0..<n).map { _ in stream.uniform() }],
                               categorical: [(0..<n).map { _ in stream.uniform() < 0.3 ? 0 : 1 }])
        let rho = ZeroConcentratedDP.rho(epsilon: 1, delta: 1e-6)
        let m = CopulaDPMechanism(schema: schema, bounds: [(0, 1)], bins: 4, scoreBound: 2, rho: rho)
        let counts = m.histogramCounts(table), nn = Double(n)
        func shares(_ release: (marginals: [CopulaMarginal], frequencies: [[Double]], correlation: SymmetricMatrix)) -> [[Double]] {
            guard case .histogram(let h) = release.marginals[0] else { return [] }
            return [h.probabilities, release.frequencies[0]]
        }
        let exact = shares(CopulaDPMechanism(schema: schema, bounds: [(0, 1)], bins: 4, scoreBound: 2, rho: 1e14).release(table, stream: stream))
        for (column, c) in counts.enumerated() {
            for k in c.indices { #expect(abs(exact[column][k] - Double(c[k]) / nn) < 1e-9) }
        }
        var samples = counts.map { $0.map { _ in [Double]() } }
        for _ in 0..<releases {
            let s = shares(m.release(table, stream: stream))
            for column in counts.indices { for k in counts[column].indices { samples[column][k].append(s[column][k]) } }
        }
        let sigma2 = 2 * 2 / rho  // 2d/ρ, d = 2 columns
        for (column, c) in counts.enumerated() {
            for k in c.indices {
                let v = samples[column][k], p = Double(c[k]) / nn, bins = Double(c.count)
                let mean = v.reduce(0, +) / Double(releases)
                let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(releases - 1)
                let theory = sigma2 / (nn * nn) * ((1 - p) * (1 - p) + (bins - 1) * p * p)
                #expect(abs(mean - p) < 4 * (variance / Double(releases)).squareRoot(), "column \(column) bin \(k): mean \(mean), p \(p)")
                #expect(abs(variance - theory) < 4 * theory * (2 / Double(releases - 1)).squareRoot(),
                        "column \(column) bin \(k): variance \(variance), theory \(theory)")
            }
        }
    }

    /// The released correlation's noise: on independent N(0, 1) columns (R = 0), to first
    /// order R̃₁₂ = (C₁₂ + e/n)/√(C₁₁C₂₂) with e ~ N(0, σ₂²) the moments' noise and C the
    /// covariance of the clipped scores under the released marginals (computed here for
    /// each release), so Var(R̃₁₂) ≈ E[σ₂²/(n² C₁₁C₂₂)] + 1/n. 400 releases at ε = 1,
    /// n = 2000: the mean within 4 SE of 0 and the variance within 4 SE of the formula.
    @Test func releasedCorrelationHasItsNoise() {
        let n = 2000, releases = 400
        let rho = ZeroConcentratedDP.rho(epsilon: 1, delta: 1e-6)
        let m = CopulaDPMechanism(schema: Self.twoColumns, bounds: [(-6, 6), (-6, 6)], bins: 64, scoreBound: 2, rho: rho)
        let stream = RandomStream(key: StreamKey(seed: 23, cell: 1, replicate: 0))
        // σ₂ of the moments at ρ/2 (each of its two releases ρ/4): Δ₂/√(ρ/2), Δ₂ = B²√(d(2d − 1)) = 4√6.
        let nn = Double(n), sigma = 4 * 6.0.squareRoot() / (rho / 2).squareRoot()
        var r: [Double] = [], theory = 0.0
        for _ in 0..<releases {
            let table = MixedTable(rowMajor: (0..<(2 * n)).map { _ in stream.standardNormal() }, dimension: 2)
            let release = m.release(table, stream: stream)
            r.append(release.correlation[0, 1])
            let c = (0..<2).map { j -> Double in
                let z = release.marginals[j].scores(table.numeric[j]).map { min(max($0, -2), 2) }
                let mean = z.reduce(0, +) / nn
                return z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / nn
            }
            theory += (sigma * sigma / (nn * nn * c[0] * c[1]) + 1 / nn) / Double(releases)
        }
        let mean = r.reduce(0, +) / Double(releases)
        let variance = r.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(releases - 1)
        #expect(abs(mean) < 4 * (variance / Double(releases)).squareRoot(), "mean \(mean)")
        #expect(abs(variance - theory) < 4 * theory * (2 / Double(releases - 1)).squareRoot(), "variance \(variance), theory \(theory)")
    }

    /// The copula's log-density with `normal` marginals on numeric columns is the MLE
    /// Gaussian's log N(x; μ̂, Σ̂) (the copula is that Gaussian), up to rounding.
    @Test func normalMarginalDensityIsTheMLEGaussian() throws {
        let stream = RandomStream(key: StreamKey(seed: 31, cell: 0, replicate: 0))
        let normal = try #require(NormalDistribution(mean: [1, -2, 0.5], covariance: CopulaTests.covariance))
        let points = Dataset(values: normal.sample(count: 300, stream: stream), dimension: 3)
        let family = CopulaFamily(schema: .numeric(dimension: 3), source: .distribution(normal), marginals: .normal, temperature: 1)
        let model = family.fit(MixedTable(rowMajor: points.values, dimension: 3), stream: stream)
        let candidates = Dataset(values: normal.sample(count: 50, stream: stream), dimension: 3)
        let copula = try #require(family.logDensity(model, of: MixedTable(rowMajor: candidates.values, dimension: 3)))
        let (mean, cov) = points.meanAndCovariance(ddof: 0)
        let gaussian = try #require(GaussianFamily.model(mean: mean, covariance: cov) as GaussianFamily.Model?)
        let g = GaussianFamily(real: try RealReference(normal), estimator: .mle, temperature: 1)
        let direct = try #require(g.logDensity(gaussian, of: candidates))
        for (a, b) in zip(copula, direct) { #expect(abs(a - b) < 1e-9 * max(1, abs(b)), "\(a) against \(b)") }
    }

    /// The empirical marginal's density (w.r.t. Lebesgue plus counting measure on its
    /// atoms) has total mass 1: atoms at the ties (c − 1)/n, ½/n more at the minimum and
    /// maximum, and a uniform density between distinct order statistics.
    @Test func empiricalMarginalMassIsOne() {
        let sorted: [Double] = [0, 1, 1, 1, 2.5, 3, 4, 4, 7]
        var mass = 0.0
        let distinct = Array(Set(sorted)).sorted()
        for v in distinct { mass += exp(CopulaMarginal.empiricalCDFAndLogDensity(v, sorted: sorted).logDensity) * (Set([1.0, 4, 0, 7]).contains(v) ? 1 : 0) }
        for (a, b) in zip(distinct, distinct.dropFirst()) {
            mass += exp(CopulaMarginal.empiricalCDFAndLogDensity(0.5 * (a + b), sorted: sorted).logDensity) * (b - a)
        }
        #expect(abs(mass - 1) < 1e-14, "mass \(mass)")
        let n = 9.0
        #expect(abs(exp(CopulaMarginal.empiricalCDFAndLogDensity(1, sorted: sorted).logDensity) - 2 / n) < 1e-15)
        #expect(abs(exp(CopulaMarginal.empiricalCDFAndLogDensity(7, sorted: sorted).logDensity) - 0.5 / n) < 1e-15)
        // Untied 2.5: the mean of (1/n)/1.5 and (1/n)/0.5; its F is the mid-rank 4.5/9.
        let (u, logf) = CopulaMarginal.empiricalCDFAndLogDensity(2.5, sorted: sorted)
        #expect(abs(exp(logf) - 0.5 * (1 / 1.5 + 1 / 0.5) / n) < 1e-15 && abs(u - 4.5 / n) < 1e-15)
        #expect(CopulaMarginal.empiricalCDFAndLogDensity(-0.1, sorted: sorted).logDensity == -.infinity)
    }

    /// With R = I the log-density is the sum of the marginals': a kde column's log f̂(x)
    /// plus log p̂_k of the category; a lost category gives −∞.
    @Test func independentColumnsAddTheirMarginals() {
        let schema = TableSchema(columns: [.init(name: "x", type: .numeric), .init(name: "g", type: .categorical, levels: ["a", "b", "c"])])
        let family = CopulaFamily(schema: schema, source: .table(MixedTable(schema: schema, numeric: [[0]], categorical: [[0]])),
                                  marginals: .kde, temperature: 1)
        let kernel = KernelMarginal([0.0, 1, 1.5, 4])
        let model = family.model(marginals: [.kde(kernel)], frequencies: [[0.25, 0.75, 0]],
                                 correlation: .diagonal([1, 1]), events: [])
        let rows = MixedTable(schema: schema, numeric: [[0.3, 2, 9]], categorical: [[1, 0, 2]])
        let f = family.logDensity(model, of: rows)!
        #expect(abs(f[0] - (log(kernel.density(0.3)) + log(0.75))) < 1e-12)
        #expect(abs(f[1] - (log(kernel.density(2)) + log(0.25))) < 1e-12)
        #expect(f[2] == -.infinity)
    }

    /// No attack beats the DP copula's guarantee (Kairouz et al. 2015): on N(0, I₂) with
    /// correlation 0.5, n = 200 members, the DP fit at ε ∈ {0.5, 2} and a batch of 2000,
    /// the mean over 60 chains of the distance and likelihood attacks'
    /// `mia_epsilon_lower` stays at most ε.
    @Test(arguments: [0.5, 2.0]) func noAttackBeatsTheCopulaGuarantee(epsilon: Double) throws {
        let normal = try #require(NormalDistribution(mean: [0, 0], covariance: SymmetricMatrix(dimension: 2, values: [1, 0.5, 0.5, 1])))
        let settings = CopulaDPSettings(privacy: DPSettings(epsilon: epsilon, delta: 1e-6), bounds: .all(lower: -4, upper: 4))
        let mechanism = CopulaDPMechanism(schema: Self.twoColumns, bounds: [(-4, 4), (-4, 4)], bins: 32, scoreBound: 2,
                                          rho: settings.privacy.rho)
        let dp = CopulaDP(settings: settings, mechanism: mechanism,
                          accounting: DPAccounting(settings: settings.privacy, policy: ReplacePolicy(), generations: 0, samples: 200))
        let family = CopulaFamily(schema: Self.twoColumns, source: .distribution(normal), marginals: .empirical, temperature: 1, dp: dp)
        let chains = 60
        var totals = [0.0, 0.0]
        for c in 0..<chains {
            let stream = RandomStream(key: StreamKey(seed: 37, cell: UInt64(epsilon * 10), replicate: UInt64(c)))
            let members = family.drawReal(200, truth: nil, stream: stream), others = family.drawReal(200, truth: nil, stream: stream)
            let model = family.fit(members, stream: stream, chain: ChainIdentity(cell: "0", replicate: c, generation: 0))
            let batch = family.sample(model, count: 2000, truth: nil, stream: stream)
            let scale = [1.0, 1.0]
            totals[0] += DistanceAttack.roc(members: DistanceRows(members, scale: scale), nonMembers: DistanceRows(others, scale: scale),
                                            batch: DistanceRows(batch, scale: scale)).epsilonLowerBound()
            totals[1] += MembershipROC(memberScores: family.logDensity(model, of: members)!,
                                       nonMemberScores: family.logDensity(model, of: others)!).epsilonLowerBound()
        }
        for total in totals { #expect(total / Double(chains) <= epsilon, "\(totals.map { $0 / Double(chains) })") }
    }
}
