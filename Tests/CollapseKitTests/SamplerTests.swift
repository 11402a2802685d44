import Foundation
import Testing
@testable import CollapseKit

/// `sampler: statistics` (exact sufficient-statistic draws) and the sufficient-statistic
/// chain in sample mode, against the plain chain and the closed forms.
///
/// Distributional equality is checked with a two-sample Kolmogorov–Smirnov test over
/// replicates (fixed seeds; the p-value must exceed 0.001), not a fixed-seed equality:
/// the two samplers draw different random numbers.
struct SamplerTests {
    static let gaussian = """
    seed: 11
    replicates: 1500
    generations: 10
    samples: 20
    model: { family: gaussian, estimator: mle }
    real: { distribution: normal, mean: 0.0, sd: 1.0 }
    metrics: [variance, mean]
    """

    static let policies = [
        "{ kind: replace }",
        "{ kind: accumulate }",
        "{ kind: mix, real_fraction: 0.2, real_source: fixed }",
        "{ kind: mix, real_fraction: 0.2, real_source: fresh }",
        "{ kind: mix, real_fraction: 0.25, real_source: fresh, synthetic_size: 40 }",
    ]

    /// Final-generation variance (and mean) under `statistics` and `samples`: the same
    /// distribution for every policy, with temperature 0.9 as well.
    @Test(arguments: policies)
    func gaussianStatisticsMatchSamplesInDistribution(policy: String) throws {
        for temperature in [1.0, 0.9] {
            try Self.expectSameDistribution(Self.gaussian + "\npolicy: \(policy)\nsampling: { temperature: \(temperature) }",
                                            samplesSeed: 12, metrics: [.variance, .mean], generation: 10,
                                            "\(policy), λ = \(temperature)")
        }
    }

    /// Runs `yaml` under `sampler: statistics` and, on seed `samplesSeed` (so the two share
    /// no draws), `sampler: samples`, and expects the two-sample KS p-value of each
    /// metric at generation g over the replicates to exceed 0.001.
    static func expectSameDistribution(_ yaml: String, samplesSeed: Int, metrics: [MetricName], generation g: Int,
                                       _ label: String) throws {
        let exact = try TestRun.run(yaml, overrides: ["sampler=statistics"])
        let drawn = try TestRun.run(yaml, overrides: ["sampler=samples", "seed=\(samplesSeed)"])
        for metric in metrics {
            let p = KolmogorovSmirnov.pValue(TestRun.values(exact, metric, generation: g),
                                             TestRun.values(drawn, metric, generation: g))
            #expect(p > 0.001, "\(label) \(metric.rawValue): KS p = \(p)")
        }
    }

    /// The same in d = 3 (Bartlett's Wishart; n = 4 puts the scatter at its smallest
    /// degrees of freedom, 3 = d) and, under mix with 2 synthetic points, the singular
    /// Wishart of fewer points than dimensions.
    @Test(arguments: ["{ kind: replace }", "{ kind: mix, real_fraction: 0.5, real_source: fresh }"])
    func multivariateStatisticsMatchSamples(policy: String) throws {
        let yaml = """
        seed: 5
        replicates: 1500
        generations: 6
        samples: 4
        model: { family: gaussian, estimator: unbiased }
        real: { distribution: normal, mean: [0, 1, 2], covariance: [[2, 0.5, 0], [0.5, 1, 0.3], [0, 0.3, 0.5]] }
        metrics: [trace, logdet]
        policy: \(policy)
        """
        try Self.expectSameDistribution(yaml, samplesSeed: 6, metrics: [.trace, .logdet], generation: 6, policy)
    }

    /// Both samplers against Shumailov et al.'s E[σ²_t] = σ₀²((n−1)/n)^(t+1) (MLE,
    /// replace) and the exact mix/fresh recursion (GaussianTheory.mixFreshMLE), 4·SE.
    @Test(arguments: Sampler.allCases)
    func gaussianClosedFormsHoldForBothSamplers(sampler: Sampler) throws {
        let replace = try TestRun.run(Self.gaussian + "\npolicy: { kind: replace }",
                                      overrides: ["sampler=\(sampler.rawValue)", "replicates=4000"])
        for t in [0, 3, 10] {
            let mc = MonteCarlo(TestRun.values(replace, .variance, generation: t))
            let theory = GaussianTheory.expectedVarianceReplaceMLE(sigma0Squared: 1, samples: 20, generation: t)
            #expect(mc.agrees(with: theory), "\(sampler) t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
        let mix = try TestRun.run(Self.gaussian + "\npolicy: { kind: mix, real_fraction: 0.2, real_source: fresh }",
                                  overrides: ["sampler=\(sampler.rawValue)", "replicates=4000"])
        let recursion = GaussianTheory.mixFreshMLE(sigma0Squared: 1, initialSamples: 20, real: 4, synthetic: 16,
                                                   generations: 10)
        for t in [1, 10] {
            let mc = MonteCarlo(TestRun.values(mix, .variance, generation: t))
            #expect(mc.agrees(with: recursion[t].variance), "\(sampler) mix t=\(t): \(mc.mean) ± \(mc.standardError) vs \(recursion[t].variance)")
        }
    }

    static let categorical = """
    seed: 3
    replicates: 1500
    generations: 8
    samples: 30
    model: { family: categorical }
    real: { distribution: zipf, categories: 40, exponent: 1.1 }
    metrics: [support_size, heterozygosity, lost_mass]
    """

    /// Final-generation support size and heterozygosity under both samplers.
    @Test(arguments: policies.dropLast())
    func categoricalStatisticsMatchSamplesInDistribution(policy: String) throws {
        for bias in ["{ temperature: 1.0 }", "{ temperature: 0.8, top_k: 20 }"] {
            try Self.expectSameDistribution(Self.categorical + "\npolicy: \(policy)\nsampling: \(bias)",
                                            samplesSeed: 4, metrics: [.supportSize, .heterozygosity], generation: 8,
                                            "\(policy) \(bias)")
        }
    }

    /// Wright–Fisher: E[H_t] = (1 − 1/n)^(t+1)(1 − Σp²) under replace, both samplers.
    @Test(arguments: Sampler.allCases)
    func wrightFisherHoldsForBothSamplers(sampler: Sampler) throws {
        let cell = try TestRun.run(Self.categorical + "\npolicy: { kind: replace }",
                                   overrides: ["sampler=\(sampler.rawValue)", "replicates=3000"])
        let p = try TestRun.config(Self.categorical).real.probabilities!
        for t in [0, 8] {
            let mc = MonteCarlo(TestRun.values(cell, .heterozygosity, generation: t))
            let theory = CategoricalTheory.expectedHeterozygosity(probabilities: p, samples: 30, generation: t)
            #expect(mc.agrees(with: theory), "\(sampler) t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
    }

    /// Sample mode through sufficient statistics draws exactly the points the plain
    /// chain draws, in the same order: every metric agrees to rounding (the fit goes
    /// through Σδ, Σδ² of the deviations from μ̂ instead of GSL's two-pass moments),
    /// with the same events, for every policy but
    /// accumulate_subsample (including mix with one real point, r = round(0.05·20)), in
    /// 1-D and 2-D, with temperature; in 1-D the sample metrics but ks come from running
    /// power sums, with or without the points kept.
    @Test(arguments: policies + ["{ kind: mix, real_fraction: 0.05, real_source: fixed }",
                                 "{ kind: mix, real_fraction: 0.05, real_source: fresh }",
                                 "{ kind: mix, real_fraction: { from: 0.1, to: 0 }, real_source: fixed }"],
          [nil, "[variance, sample_skewness, sample_kurtosis, sample_tail_mass_ratio]", "model"])
    func gaussianSampleModeEqualsThePlainChain(policy: String, metrics: String?) throws {
        for real in ["{ distribution: normal, mean: 1.0, sd: 2.0 }",
                     "{ distribution: student_t, dof: 4, location: 0, scale: 1 }",
                     "{ distribution: normal, mean: [0, 1], covariance: [[1, 0.6], [0.6, 2]] }"] {
            let yaml = Self.gaussian.replacingOccurrences(of: "real: { distribution: normal, mean: 0.0, sd: 1.0 }", with: "real: \(real)")
                + "\npolicy: \(policy)\nsampling: { temperature: 0.95 }"
            // All metrics (ks keeps the points), in 1-D only those computed while drawing,
            // or only model metrics (no point kept).
            let twoD = real.contains("[0, 1]")
            if metrics != nil && metrics != "model" && twoD { continue }
            let list = metrics == "model" ? (twoD ? "[trace, logdet, mean_drift]" : "[variance, mean]") : metrics ?? "null"
            let config = try TestRun.config(yaml, overrides: ["sampler=samples", "metrics=\(list)", "replicates=3"])
            let family = GaussianFamily(real: try RealReference(config.real.makeDistribution()!),
                                        estimator: .mle, temperature: 0.95)
            for (r, a, b) in Self.sameDraws(family, config, seed: 11, replicates: 3) {
                #expect(a.values.count == b.values.count && a.events == b.events, "\(policy) \(real) r\(r)")
                for (i, (x, y)) in zip(a.values, b.values).enumerated() {
                    let m = config.metrics[i % config.metrics.count]
                    #expect(abs(x - y) <= 1e-9 * max(1, abs(x)), "\(policy) \(real) r\(r) \(m.rawValue): \(x) vs \(y)")
                }
            }
        }
    }

    /// Replicates 0..<`replicates` of `config` run by the chain loop on points and on
    /// sample-mode statistics, on the same streams: (replicate, points, statistics).
    static func sameDraws<F: SufficientStatisticFamily>(_ family: F, _ config: ExperimentConfig, seed: UInt64,
                                                        replicates: Int) -> [(Int, ChainResult, ChainResult)] {
        let plain = ChainRunners.loop(PointsRepresentation(family: family), config: config)
        let statistics = ChainRunners.loop(StatisticsRepresentation(family: family, exact: nil), config: config)
        return (0..<replicates).map { r in
            let key = StreamKey(seed: seed, cell: 0, replicate: UInt64(r))
            return (r, plain.run(key: key, replicate: r), statistics.run(key: key, replicate: r, observe: nil))
        }
    }

    /// Collapse at the limit of double precision: with n = 2 and a mean far from 0 the
    /// drawn points soon all round to the model mean. The sample-mode chain fits the
    /// rounded points, so it records `variance_collapsed` at the same generation as the
    /// plain chain and from then on agrees with it exactly.
    @Test func sampleModeCollapsesWhereThePlainChainDoes() throws {
        let config = try TestRun.config("""
        generations: 400
        samples: 2
        real: { distribution: normal, mean: 1000.0, sd: 1.0 }
        metrics: [variance, mean]
        """, overrides: ["sampler=samples"])
        let family = GaussianFamily(real: try RealReference(config.real.makeDistribution()!), estimator: .mle,
                                    temperature: 1)
        for (r, a, b) in Self.sameDraws(family, config, seed: 1, replicates: 4) {
            let collapse = try #require(a.events.first { $0.kind == .varianceCollapsed }, "r\(r): \(a.events)")
            #expect(a.events == b.events, "r\(r)")
            #expect(a.values.suffix(2) == b.values.suffix(2) && b.values.last == 0, "r\(r) at \(collapse.generation)")  // [mean, variance]
        }
    }

    /// The categorical counts path draws the same categories as the plain chain: the
    /// counts, and so every metric, are identical.
    @Test(arguments: policies.dropLast())
    func categoricalSampleModeEqualsThePlainChain(policy: String) throws {
        let config = try TestRun.config(Self.categorical + "\npolicy: \(policy)\nsampling: { temperature: 0.9, top_p: 0.95 }",
                                        overrides: ["sampler=samples"])
        let family = CategoricalFamily(probabilities: config.real.probabilities!, smoothing: 0, temperature: 0.9,
                                       topK: 0, topP: 0.95)
        for (_, a, b) in Self.sameDraws(family, config, seed: 3, replicates: 5) {
            #expect(a.values == b.values)
        }
    }

    /// Linear regression on the R factor of [X y] fits what OLS on the pooled points
    /// fits (same draws): test error and noise estimate agree to rounding for every
    /// policy and both designs, and accumulate's pool is a running QR merge.
    @Test(arguments: policies)
    func regressionOnItsFactorEqualsThePlainChain(policy: String) throws {
        for design in LinearRegressionFamily.Design.allCases {
            let config = try TestRun.config("""
            generations: 12
            samples: 30
            model: { family: linear_regression, design: \(design.rawValue) }
            real: { distribution: linear, dimension: 4, noise_sd: 0.5 }
            sampling: { temperature: 1.2 }
            policy: \(policy)
            """)
            let family = LinearRegressionFamily(dimension: 4, noiseSD: 0.5, weights: nil, design: design,
                                                temperature: 1.2, samples: 30)
            for (r, a, b) in Self.sameDraws(family, config, seed: 21, replicates: 3) {
                #expect(a.values.count == b.values.count && a.events == b.events)
                for (x, y) in zip(a.values, b.values) {
                    #expect(abs(x - y) <= 1e-9 * max(1, abs(x)), "\(policy) \(design) r\(r): \(x) vs \(y)")
                }
            }
        }
    }

    /// Asking for a metric that needs the points (ks) keeps them, and changes nothing
    /// else: the variance and the streamed kurtosis are the same to the bit.
    @Test func keepingThePointsChangesNoOtherMetric() throws {
        let base = Self.gaussian + "\npolicy: { kind: mix, real_fraction: 0.3, real_source: fresh }"
        let lean = try TestRun.run(base, overrides: ["sampler=samples", "replicates=20"])
        let full = try TestRun.run(base, overrides: ["sampler=samples", "replicates=20", "metrics=[variance, mean, ks, sample_kurtosis]"])
        let streamed = try TestRun.run(base, overrides: ["sampler=samples", "replicates=20", "metrics=[variance, sample_kurtosis]"])
        for t in [0, 5, 10] {
            #expect(TestRun.values(lean, .variance, generation: t) == TestRun.values(full, .variance, generation: t))
            #expect(TestRun.values(streamed, .sampleKurtosis, generation: t) == TestRun.values(full, .sampleKurtosis, generation: t))
            #expect(TestRun.values(full, .ks, generation: t).allSatisfy { $0 > 0 && $0 < 1 })
        }
    }

    /// Wishart_d(k, I) moments: E[W] = k·I, Var(W_ii) = 2k, Var(W_ij) = k (i ≠ j), for
    /// Bartlett's k ≥ d and the direct k < d construction (4·SE).
    @Test(arguments: [2, 3, 7])
    func wishartMoments(dof k: Int) {
        let d = 3, draws = 20_000
        let stream = RandomStream(key: StreamKey(seed: 9, cell: 9, replicate: UInt64(k)))
        var diagonal: [Double] = [], offDiagonal: [Double] = [], last: [Double] = []
        for _ in 0..<draws {
            let w = GaussianFamily.wishartIdentity(dof: k, dimension: d, stream: stream)
            #expect(w[1] == w[3] && w[2] == w[6] && w[5] == w[7])  // symmetric
            diagonal.append(w[4])
            offDiagonal.append(w[2])
            last.append(w[8])
        }
        let dm = MonteCarlo(diagonal), om = MonteCarlo(offDiagonal), lm = MonteCarlo(last)
        // W₂₂ holds the last Bartlett χ², of k − 2 degrees of freedom, plus two normals².
        #expect(lm.agrees(with: Double(k)), "E[W₂₂] = \(lm.mean) ± \(lm.standardError), expected \(k)")
        #expect(dm.agrees(with: Double(k)), "E[W₁₁] = \(dm.mean) ± \(dm.standardError), expected \(k)")
        #expect(om.agrees(with: 0), "E[W₀₂] = \(om.mean) ± \(om.standardError), expected 0")
        let dv = MonteCarlo(diagonal.map { ($0 - Double(k)) * ($0 - Double(k)) })
        let ov = MonteCarlo(offDiagonal.map { $0 * $0 })
        #expect(dv.agrees(with: 2 * Double(k)), "Var W₁₁ = \(dv.mean) ± \(dv.standardError), expected \(2 * k)")
        #expect(ov.agrees(with: Double(k)), "Var W₀₂ = \(ov.mean) ± \(ov.standardError), expected \(k)")
    }

    /// Multinomial counts: every draw places exactly N, never in a category of
    /// probability 0, with E[n_k] = N p_k (4·SE).
    @Test func multinomialCounts() {
        let p = [0.5, 0, 0.3, 0.2, 0]
        let stream = RandomStream(key: StreamKey(seed: 2, cell: 2, replicate: 2))
        var first: [Double] = []
        for _ in 0..<5000 {
            let c = CategoricalFamily.multinomial(50, probabilities: p, stream: stream)
            #expect(c.total == 50 && c.counts.reduce(0, +) == 50 && c.counts[1] == 0 && c.counts[4] == 0)
            first.append(Double(c.counts[0]))
        }
        #expect(MonteCarlo(first).agrees(with: 25))
    }

    /// A collapsing chain under statistics: the variance underflows to exactly 0,
    /// recorded as variance_collapsed, with no NaN.
    @Test func statisticsRecordVarianceCollapse() throws {
        let cell = try TestRun.run("""
        replicates: 4
        generations: 3000
        samples: 2
        policy: { kind: replace }
        metrics: [variance, w2]
        """, overrides: ["sampler=statistics"])
        #expect(cell.status == .degenerate)
        for chain in cell.chains {
            #expect(chain.events.contains { $0.kind == .varianceCollapsed })
            #expect(chain.values.allSatisfy { !$0.isNaN })
        }
        #expect(TestRun.values(cell, .variance, generation: 3000).allSatisfy { $0 == 0 })
    }

    // MARK: Config

    @Test func autoPicksStatisticsOnlyWhereItApplies() throws {
        #expect(try TestRun.config(Self.gaussian).sampler == .statistics)
        #expect(try TestRun.config(Self.gaussian, overrides: ["sampler=samples"]).sampler == .samples)
        #expect(try TestRun.config(Self.gaussian, overrides: ["metrics=[variance, ks]"]).sampler == .samples)
        #expect(try TestRun.config(Self.gaussian, overrides: ["policy.kind=accumulate_subsample"]).sampler == .samples)
        #expect(try TestRun.config(Self.gaussian, overrides: ["output.snapshots=[0]"]).sampler == .samples)
        #expect(try TestRun.config("model: { family: kde }").sampler == .samples)
        #expect(try TestRun.config(Self.categorical).sampler == .statistics)
    }

    @Test func statisticsWhereItCannotRunIsAnError() {
        let cases: [(String, String)] = [
            ("metrics=[variance, ks]", "sampler: got 'statistics'; allowed: samples or auto here: metrics ks need the generated points"),
            ("policy.kind=accumulate_subsample", "sampler: got 'statistics'; allowed: samples or auto here: policy.kind accumulate_subsample subsamples the points themselves"),
            ("output.snapshots=[0, 10]", "sampler: got 'statistics'; allowed: samples or auto here: output.snapshots needs the generated points"),
        ]
        for (override, message) in cases {
            #expect(TestRun.configErrors(Self.gaussian, overrides: ["sampler=statistics", override]) == [message])
        }
        #expect(TestRun.configErrors("model: { family: gmm }\nsampler: statistics") ==
            ["sampler: got 'statistics'; allowed: samples or auto here: model.family gmm has no exact statistics sampler (only gaussian and categorical)"])
        #expect(TestRun.configErrors("sampler: exact") == ["sampler: got 'exact'; allowed: one of auto, samples, statistics"])
    }

    /// The resolved config names the sampler wherever statistics could run, and reads
    /// back to the same sampler and hash; configs that can only be sampled keep the
    /// hash they had before the key existed.
    @Test func resolvedConfigRoundTrips() throws {
        for overrides in [[], ["sampler=samples"], ["sampler=statistics"], ["metrics=[variance, ks]"]] {
            let config = try TestRun.config(Self.gaussian, overrides: overrides)
            let again = try ConfigLoader.validate(config.jsonValue)
            #expect(again.sampler == config.sampler && again.hash == config.hash)
        }
        let sampledOnly = try TestRun.config(Self.gaussian, overrides: ["metrics=[variance, ks]"])
        #expect(!sampledOnly.jsonValue.jsonText(pretty: false).contains("sampler"))
    }

}

/// The two-sample Kolmogorov–Smirnov test: D = sup |F_a − F_b| and its asymptotic
/// p-value Q_KS(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²} with Stephens' (1970) correction
/// λ = (√m + 0.12 + 0.11/√m)·D, m = n_a n_b/(n_a + n_b) (Numerical Recipes, §14.3).
/// Conservative for discrete data (ties), which only makes a pass easier to earn.
enum KolmogorovSmirnov {
    static func statistic(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            let v = min(x[i], y[j])
            while i < x.count && x[i] <= v { i += 1 }
            while j < y.count && y[j] <= v { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return d
    }

    static func pValue(_ a: [Double], _ b: [Double]) -> Double {
        let m = Double(a.count * b.count) / Double(a.count + b.count)
        let lambda = (m.squareRoot() + 0.12 + 0.11 / m.squareRoot()) * statistic(a, b)
        if lambda < 0.2 { return 1 }
        var sum = 0.0, sign = 1.0
        for j in 1...100 {
            let term = exp(-2 * Double(j * j) * lambda * lambda)
            sum += sign * term
            sign = -sign
            if term < 1e-12 { break }
        }
        return min(max(2 * sum, 0), 1)
    }
}
