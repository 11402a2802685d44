import Foundation
import Testing
@testable import CollapseKit

/// The Gaussian family against closed forms, with fixed seeds and tolerances of four
/// Monte Carlo standard errors (|mean − theory| < 4·SE).
struct GaussianClosedFormTests {
    static let base = """
    seed: 7
    replicates: 3000
    generations: 30
    samples: 20
    real: { distribution: normal, mean: 0.0, sd: 1.0 }
    metrics: [variance, mean_drift]
    """

    /// Shumailov et al. (2024), 1-D Gaussian refitted by maximum likelihood on its
    /// own n samples: E[σ²_t] = σ₀² ((n−1)/n)^(t+1).
    @Test func maximumLikelihoodVarianceShrinksGeometrically() throws {
        let cell = try TestRun.run(Self.base + "\nmodel: { estimator: mle }\npolicy: { kind: replace }")
        for t in [0, 1, 5, 15, 30] {
            let mc = MonteCarlo(TestRun.values(cell, .variance, generation: t))
            let theory = GaussianTheory.expectedVarianceReplaceMLE(sigma0Squared: 1, samples: 20, generation: t)
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
        // And the shrinkage is real: at t = 30 the expectation is 0.95^31 ≈ 0.20.
        #expect(MonteCarlo(TestRun.values(cell, .variance, generation: 30)).mean < 0.3)
    }

    /// Unbiased fitting: E[σ²_t] = σ₀² for every t (a martingale), while
    /// E[log σ²_t] = log σ₀² + (t+1)(ψ((n−1)/2) + log(2/(n−1))) falls linearly, so the
    /// median of σ²_t falls and σ²_t → 0 almost surely (LITERATURE.md).
    @Test func unbiasedVarianceIsAMartingaleWhoseMedianFalls() throws {
        let cell = try TestRun.run(Self.base + "\nmodel: { estimator: unbiased }\npolicy: { kind: replace }",
                                   overrides: ["generations=10"])
        for t in [0, 5, 10] {
            let v = TestRun.values(cell, .variance, generation: t)
            let mc = MonteCarlo(v)
            #expect(mc.agrees(with: 1), "E[σ²_\(t)] = \(mc.mean) ± \(mc.standardError), expected 1")
            let logs = MonteCarlo(v.map { Foundation.log($0) })
            let theory = GaussianTheory.expectedLogVarianceReplaceUnbiased(sigma0Squared: 1, samples: 20, generation: t)
            #expect(logs.agrees(with: theory), "E[log σ²_\(t)] = \(logs.mean) ± \(logs.standardError) vs \(theory)")
        }
        let median0 = Statistics.median(TestRun.values(cell, .variance, generation: 0))
        let median10 = Statistics.median(TestRun.values(cell, .variance, generation: 10))
        #expect(median10 < median0 - 0.05, "median \(median0) → \(median10)")
    }

    /// Sampling at temperature λ multiplies the expected variance by λ each generation:
    /// E[σ²_t] = σ₀² λ^t ((n−1)/n)^(t+1) (Alemohammad et al. 2024's sampling bias).
    @Test func temperatureScalesTheVarianceEachGeneration() throws {
        let cell = try TestRun.run(Self.base + "\nmodel: { estimator: mle }\nsampling: { temperature: 0.9 }",
                                   overrides: ["generations=10"])
        for t in [1, 5, 10] {
            let mc = MonteCarlo(TestRun.values(cell, .variance, generation: t))
            let theory = GaussianTheory.expectedVarianceReplaceMLE(sigma0Squared: 1, samples: 20, generation: t,
                                                                   temperature: 0.9)
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
    }

    /// `mix` with fresh real data: exact recursion for E[σ²_t] and E[(μ_t − μ₀)²]
    /// (``GaussianTheory/mixFreshMLE``); half real, half synthetic.
    @Test func freshRealDataMixMatchesTheRecursion() throws {
        let cell = try TestRun.run(Self.base + "\npolicy: { kind: mix, real_fraction: 0.5, real_source: fresh }")
        let theory = GaussianTheory.mixFreshMLE(sigma0Squared: 1, initialSamples: 20, real: 10, synthetic: 10,
                                                generations: 30)
        for t in [0, 1, 2, 10, 30] {
            let v = MonteCarlo(TestRun.values(cell, .variance, generation: t))
            #expect(v.agrees(with: theory[t].variance), "V_\(t) = \(v.mean) ± \(v.standardError) vs \(theory[t].variance)")
            let d2 = MonteCarlo(TestRun.values(cell, .meanDrift, generation: t).map { $0 * $0 })
            #expect(d2.agrees(with: theory[t].meanSquaredDrift),
                    "D_\(t) = \(d2.mean) ± \(d2.standardError) vs \(theory[t].meanSquaredDrift)")
        }
        // Fresh real data stops the collapse: the simulated V_30 stays far above the
        // replace value 0.95^31 ≈ 0.2.
        #expect(MonteCarlo(TestRun.values(cell, .variance, generation: 30)).mean > 0.85)
    }

    /// The replace recursion's drift: E[(μ_t − μ₀)²] = σ₀²/n · Σ_{k=0}^{t} ((n−1)/n)^k.
    @Test func replaceMeanDriftGrowsAsARandomWalk() throws {
        let cell = try TestRun.run(Self.base + "\npolicy: { kind: replace }")
        let theory = GaussianTheory.mixFreshMLE(sigma0Squared: 1, initialSamples: 20, real: 0, synthetic: 20,
                                                generations: 30)
        for t in [0, 10, 30] {
            let d2 = MonteCarlo(TestRun.values(cell, .meanDrift, generation: t).map { $0 * $0 })
            #expect(d2.agrees(with: theory[t].meanSquaredDrift))
            let closed = (0...t).reduce(0.0) { $0 + pow(19.0 / 20, Double($1)) } / 20
            #expect(abs(theory[t].meanSquaredDrift - closed) < 1e-12)
        }
    }

    /// All real, fresh each generation: every generation is a fresh fit to n real
    /// points, E[σ²_t] = σ₀²(n−1)/n for every t.
    @Test func allFreshRealDataNeverCollapses() throws {
        let cell = try TestRun.run(Self.base + "\npolicy: { kind: mix, real_fraction: 1, real_source: fresh }",
                                   overrides: ["generations=5"])
        for t in [0, 5] {
            #expect(MonteCarlo(TestRun.values(cell, .variance, generation: t)).agrees(with: 0.95))
        }
    }

    /// All real from the fixed generation-0 sample: every generation refits R₀ itself,
    /// so the fitted variance never changes (exactly, up to summation order).
    @Test func allFixedRealDataRefitsTheSameSample() throws {
        let cell = try TestRun.run(Self.base + "\npolicy: { kind: mix, real_fraction: 1.0, real_source: fixed }",
                                   overrides: ["replicates=5", "generations=5"])
        for chain in cell.chains {
            let m = cell.metrics.count
            let k = cell.metrics.firstIndex(of: .variance)!
            let v0 = chain.values[k]
            for t in 1...5 { #expect(abs(chain.values[t * m + k] - v0) <= 1e-12 * v0) }
        }
    }

    /// Maximum likelihood is biased by (n−1)/n whatever the real distribution:
    /// E[σ²₀] = Var_real · (n−1)/n. Checks the Student-t and mixture samplers:
    /// Var = scale²·ν/(ν−2) for Student-t; Σw(σ² + μ²) − (Σwμ)² for the mixture.
    @Test(arguments: [
        ("{ distribution: student_t, dof: 6, location: 1, scale: 2 }", 6.0),
        // 0.3·(0.25 + 4) + 0.7·(2.25 + 1) − (0.3·(−2) + 0.7·1)² = 1.275 + 2.275 − 0.01
        ("{ distribution: mixture, weights: [0.3, 0.7], means: [-2, 1], sds: [0.5, 1.5] }", 3.54),
    ])
    func generationZeroVarianceMatchesTheRealVariance(real: String, variance: Double) throws {
        let cell = try TestRun.run(Self.base, overrides: ["real=\(real)", "generations=0", "replicates=6000"])
        let mc = MonteCarlo(TestRun.values(cell, .variance, generation: 0))
        #expect(mc.agrees(with: variance * 19 / 20), "\(mc.mean) ± \(mc.standardError) vs \(variance * 19 / 20)")
    }

    /// In d dimensions the maximum-likelihood covariance shrinks the same way,
    /// E[Σ_t] = Σ₀((n−1)/n)^(t+1), so E[trace Σ_t] = tr Σ₀ ((n−1)/n)^(t+1).
    @Test func multivariateTraceShrinksGeometrically() throws {
        let yaml = """
        seed: 3
        replicates: 2000
        generations: 10
        samples: 20
        real: { distribution: normal, mean: [0, 1], covariance: [[2, 0.5], [0.5, 1]] }
        metrics: [trace, logdet, w2]
        """
        let cell = try TestRun.run(yaml)
        for t in [0, 10] {
            let mc = MonteCarlo(TestRun.values(cell, .trace, generation: t))
            let theory = 3 * pow(19.0 / 20, Double(t + 1))
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
    }
}
