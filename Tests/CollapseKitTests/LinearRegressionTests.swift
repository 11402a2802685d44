import Foundation
import Testing
@testable import CollapseKit

/// The linear-regression family against closed forms, with fixed seeds and tolerances of
/// four Monte Carlo standard errors (|mean − theory| < 4·SE).
///
/// Notation: d weights, n = `samples`, σ the real noise, λ the temperature,
/// e_i = (XᵀX)⁻¹Xᵀε_i the OLS error of the noise ε_i added at generation i, and
/// c = σ² E tr((XᵀX)⁻¹) = σ² d/(n − d − 1) for X with i.i.d. N(0, 1) entries (the mean of
/// the inverse Wishart W_d(I, n)⁻¹ is I/(n − d − 1)). Here d = 4, n = 12, so c = 4σ²/7.
struct LinearRegressionTests {
    static let d = 4, n = 12
    static let c = Double(d) / Double(n - d - 1)

    static let base = """
    seed: 11
    replicates: 3000
    generations: 10
    samples: 12
    model: { family: linear_regression, design: fixed }
    real: { distribution: linear, dimension: 4, noise_sd: 1 }
    metrics: [test_error, noise_estimate]
    """

    static func testError(_ cell: CellResult, _ t: Int) -> MonteCarlo {
        MonteCarlo(TestRun.values(cell, .testError, generation: t))
    }

    /// Fixed design, replace. Refitting OLS on y = Xŵ_{t−1} + ε_t gives
    /// ŵ_t = ŵ_{t−1} + e_t, so ŵ_t − w* = Σ_{i=0}^{t} e_i and
    /// E‖ŵ_t − w*‖² = (t+1) σ² d/(n − d − 1): linear growth (Dohmatob, Feng & Kempe 2024,
    /// "Model Collapse Demystified: The Case of Regression", restated by Gerstgrasser et
    /// al. 2024, §2, as the replace baseline).
    @Test func fixedDesignReplaceErrorGrowsLinearly() throws {
        let cell = try TestRun.run(Self.base + "\npolicy: { kind: replace }")
        for t in [0, 1, 5, 10] {
            let mc = Self.testError(cell, t)
            let theory = Self.c * Double(t + 1)
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
    }

    /// Fixed design, accumulate: generation t fits X stacked t+1 times, with labels
    /// y_0 = Xw* + ε_0 and y_k = Xŵ_{k−1} + ε_k, so ŵ_t = (1/(t+1)) Σ_k (XᵀX)⁻¹Xᵀy_k.
    /// Subtracting t·δ_{t−1} from (t+1)·δ_t (δ_t = ŵ_t − w*) gives δ_t = δ_{t−1} + e_t/(t+1),
    /// so δ_t = Σ_{i=0}^{t} e_i/(i+1) and E‖δ_t‖² = σ² d/(n−d−1) Σ_{i=1}^{t+1} 1/i²
    /// ≤ (π²/6) σ² d/(n−d−1): bounded (Gerstgrasser et al. 2024, §2, the accumulate
    /// theorem, whose proof is this sum). The identity
    /// δ_t = Σ e_i/(i+1) was checked numerically (NumPy lstsq, max error 1e-15).
    @Test func fixedDesignAccumulateErrorStaysBounded() throws {
        let cell = try TestRun.run(Self.base + "\npolicy: { kind: accumulate }")
        for t in [0, 1, 5, 10] {
            let mc = Self.testError(cell, t)
            let theory = Self.c * (1...(t + 1)).reduce(0.0) { $0 + 1 / Double($1 * $1) }
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
        // Bounded: far below the replace value 11c at t = 10, under the π²/6 limit.
        let last = Self.testError(cell, 10)
        #expect(last.mean + 4 * last.standardError < Self.c * 2 && last.mean < Self.c * Double.pi * Double.pi / 6)
    }

    /// Fresh design, replace: ŵ_t = ŵ_{t−1} + (X_tᵀX_t)⁻¹X_tᵀε_t with X_t independent of
    /// everything before, so the same E‖ŵ_t − w*‖² = (t+1) σ² d/(n − d − 1)
    /// (Dohmatob, Feng & Kempe 2024, where each generation draws new inputs).
    @Test func freshDesignReplaceErrorGrowsLinearly() throws {
        let cell = try TestRun.run(Self.base + "\npolicy: { kind: replace }", overrides: ["model.design=fresh"])
        for t in [0, 1, 5, 10] {
            let mc = Self.testError(cell, t)
            let theory = Self.c * Double(t + 1)
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
    }

    /// Temperature λ scales the label-noise variance of generated labels to λσ², so under
    /// replace E‖ŵ_t − w*‖² = σ² d/(n − d − 1)(1 + λt) (generation 0's noise is real, σ²).
    /// The residual variance estimate is unbiased for the noise of its own training labels
    /// (E[RSS] = σ_t²(m − d) for y = Xβ + ε, ε ~ N(0, σ_t² I)): E[σ̂²_0] = σ², E[σ̂²_t] = λσ².
    @Test(arguments: [0.5, 2.0])
    func temperatureScalesTheLabelNoise(lambda: Double) throws {
        let sigma = 1.5
        let cell = try TestRun.run(Self.base + "\npolicy: { kind: replace }",
                                   overrides: ["sampling.temperature=\(lambda)", "real.noise_sd=\(sigma)"])
        for t in [0, 1, 10] {
            let mc = Self.testError(cell, t)
            let theory = sigma * sigma * Self.c * (1 + lambda * Double(t))
            #expect(mc.agrees(with: theory), "λ=\(lambda) t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
            let s2 = MonteCarlo(TestRun.values(cell, .noiseEstimate, generation: t).map { $0 * $0 })
            let noise = sigma * sigma * (t == 0 ? 1 : lambda)
            #expect(s2.agrees(with: noise), "λ=\(lambda) t=\(t): σ̂² \(s2.mean) ± \(s2.standardError) vs \(noise)")
        }
    }

    /// σ̂² = RSS/(m − d) is unbiased: E[σ̂²] = σ² at generation 0 and, under replace with
    /// λ = 1, at every generation (the labels are linear in x plus N(0, σ²) noise), for
    /// both designs.
    @Test(arguments: ["fixed", "fresh"])
    func noiseEstimateIsUnbiased(design: String) throws {
        let cell = try TestRun.run(Self.base + "\npolicy: { kind: replace }",
                                   overrides: ["model.design=\(design)", "real.noise_sd=2", "generations=5"])
        for t in [0, 1, 5] {
            let s2 = MonteCarlo(TestRun.values(cell, .noiseEstimate, generation: t).map { $0 * $0 })
            #expect(s2.agrees(with: 4), "t=\(t): σ̂² \(s2.mean) ± \(s2.standardError) vs 4")
        }
    }

    /// Without noise every label is exactly xᵀw, so OLS recovers w* at generation 0 and
    /// the model reproduces itself: test_error is 0 up to rounding at every generation.
    @Test(arguments: [("fixed", "replace"), ("fixed", "accumulate"), ("fresh", "replace"),
                      ("fresh", "accumulate_subsample")])
    func noiselessLabelsAreRecoveredExactly(design: String, policy: String) throws {
        let cell = try TestRun.run("""
            seed: 2
            replicates: 5
            generations: 20
            samples: 12
            model: { family: linear_regression, design: \(design) }
            real: { distribution: linear, dimension: 4, noise_sd: 0, weights: [1, -2, 0.5, 3] }
            policy: { kind: \(policy) }
            """)
        #expect(cell.chains.allSatisfy { $0.status == .ok })
        for t in 0...20 {
            let e = TestRun.values(cell, .testError, generation: t)
            #expect(e.count == 5 && e.allSatisfy { $0 < 1e-24 }, "t=\(t): \(e)")
            #expect(TestRun.values(cell, .noiseEstimate, generation: t).allSatisfy { $0 < 1e-12 })
        }
    }

    static func family(design: LinearRegressionFamily.Design = .fixed, samples: Int = 5) -> LinearRegressionFamily {
        LinearRegressionFamily(dimension: 3, noiseSD: 1, weights: [1, 2, 3], design: design,
                               temperature: 1, samples: samples)
    }

    /// Identical rows x = (1, 2, 3): rank 1. Least squares sets xᵀw = ȳ = 3, and the
    /// minimum-norm such w is x·ȳ/‖x‖² = (1, 2, 3)·3/14; RSS = Σ(y − ȳ)² = 14.
    @Test func duplicateRowsGiveTheMinimumNormSolution() {
        let x = Dataset(values: [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3], dimension: 3)
        let model = Self.family().fit(RegressionSample(x: x, y: [1, 2, 3, 6]))
        #expect(Self.family().diagnose(model) == [.singularDesign])
        #expect(model.rank == 1)
        for k in 0..<3 { #expect(abs(model.weights[k] - Double(k + 1) * 3 / 14) < 1e-12, "\(model.weights)") }
        #expect(abs(model.residualSumOfSquares - 14) < 1e-12)
    }

    /// Fewer points than weights (m = 2 < d = 3): the minimum-norm interpolant
    /// w = Xᵀ(XXᵀ)⁻¹y; for X = [[1, 0, 1], [0, 1, 1]], y = (1, 2): (XXᵀ)⁻¹y = (0, 1),
    /// so w = (0, 1, 1) with zero residual.
    @Test func fewerPointsThanWeightsInterpolateWithMinimumNorm() {
        let x = Dataset(values: [1, 0, 1, 0, 1, 1], dimension: 3)
        let model = Self.family().fit(RegressionSample(x: x, y: [1, 2]))
        #expect(Self.family().diagnose(model) == [.singularDesign])
        #expect(model.rank == 2)
        for (k, w) in [0.0, 1, 1].enumerated() { #expect(abs(model.weights[k] - w) < 1e-12, "\(model.weights)") }
        #expect(model.residualSumOfSquares < 1e-24)
    }

    /// Full-rank data with exact labels: OLS returns the generating weights and no event.
    @Test func fullRankFitIsExactAndHealthy() {
        let x = Dataset(values: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 2, -1, 0.5], dimension: 3)
        let w = [0.5, -1.0, 2.0]
        let y = (0..<5).map { i in (0..<3).reduce(0.0) { $0 + x.values[i * 3 + $1] * w[$1] } }
        let model = Self.family().fit(RegressionSample(x: x, y: y))
        #expect(Self.family().diagnose(model).isEmpty && model.rank == 3)
        for k in 0..<3 { #expect(abs(model.weights[k] - w[k]) < 1e-12) }
    }

    @Test func nonFiniteLabelsAreFatal() {
        let x = Dataset(values: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1], dimension: 3)
        let model = Self.family().fit(RegressionSample(x: x, y: [1, .nan, 2, 3]))
        #expect(Self.family().diagnose(model) == [.nonFiniteParameters])
    }

    /// In a chain: `accumulate_subsample` on a fixed design with n = d + 1 draws n rows
    /// from a pool of copies of X, so a training set often repeats rows and has rank < d.
    /// The chain records `singular_design`, keeps going, and every value stays finite.
    @Test func rankDeficientTrainingSetsInAChainAreRecorded() throws {
        let cell = try TestRun.run("""
            seed: 4
            replicates: 20
            generations: 20
            samples: 5
            model: { family: linear_regression, design: fixed }
            real: { distribution: linear, dimension: 4 }
            policy: { kind: accumulate_subsample }
            """)
        #expect(cell.chains.contains { $0.events.contains { $0.kind == .singularDesign } })
        #expect(cell.chains.allSatisfy { $0.status != .failed && $0.generationCount(metricCount: 2) == 21 })
        #expect(cell.chains.allSatisfy { $0.values.allSatisfy(\.isFinite) })
    }

    /// `design: fixed`: every batch takes its inputs from the chain's design, row i from
    /// row i mod n (so a batch larger than n wraps around); `fresh` draws new inputs.
    @Test func fixedDesignBatchesReuseTheDesignRows() {
        let stream = RandomStream(key: StreamKey(seed: 1, cell: 2, replicate: 3))
        let fixed = Self.family(samples: 5)
        let truth = fixed.makeTruth(requested: [.testError], stream: stream)
        let design = try! #require(truth.design)
        #expect(design.count == 5 && truth.weights == [1, 2, 3])
        #expect(fixed.drawReal(5, truth: truth, stream: stream).x == design)
        let model = fixed.fit(fixed.drawReal(5, truth: truth, stream: stream))
        let batch = fixed.sample(model, count: 13, truth: truth, stream: stream)
        #expect(batch.x == design.rows((0..<13).map { $0 % 5 }))

        let fresh = Self.family(design: .fresh)
        let freshTruth = fresh.makeTruth(requested: [.testError], stream: stream)
        #expect(freshTruth.design == nil)
        let a = fresh.drawReal(5, truth: freshTruth, stream: stream), b = fresh.drawReal(5, truth: freshTruth, stream: stream)
        #expect(a.x != b.x && a.count == 5)
    }

    func errors(_ yaml: String) -> [String] { TestRun.configErrors(yaml) }

    @Test(arguments: [
        ("samples: 5\nmodel: { family: linear_regression }\nreal: { distribution: linear, dimension: 10 }",
         "samples: got 5; allowed: at least 11 (dimension + 1) to fit 10 weights by least squares and estimate the noise"),
        ("model: { family: linear_regression }\nreal: { distribution: linear, dimension: 3, weights: [1, 2] }",
         "real.weights: got 2 weights; allowed: exactly 3 weights (real.dimension)"),
        ("real: { distribution: linear, dimension: 3 }",
         "real.distribution: got 'linear' with model.family gaussian; allowed: one of normal, student_t, mixture, table for model.family gaussian"),
        ("model: { family: linear_regression }\nreal: { distribution: normal }",
         "real.distribution: got 'normal' with model.family linear_regression; allowed: one of linear for model.family linear_regression"),
    ])
    func configErrorsNameTheField(yaml: String, message: String) {
        #expect(errors(yaml).contains(message), "\(errors(yaml))")
    }

    /// Too few samples is one fault, reported once (not again as a too-small training set).
    @Test func tooFewSamplesIsReportedOnce() {
        let e = errors("samples: 10\nmodel: { family: linear_regression }\nreal: { distribution: linear, dimension: 10 }")
        #expect(e == ["samples: got 10; allowed: at least 11 (dimension + 1) to fit 10 weights by least squares and estimate the noise"])
    }
}
