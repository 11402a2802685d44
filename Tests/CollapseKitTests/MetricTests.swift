import Foundation
import Testing
@testable import CollapseKit

/// Metric formulas at hand-checked points. Reference values marked "scipy" were
/// computed independently with scipy 1.17 (scipy.linalg.sqrtm, scipy.integrate.quad).
struct MetricTests {
    static func reference(_ yaml: String) throws -> RealReference {
        try RealReference(TestRun.config(yaml).real.makeDistribution()!)
    }

    static let standardNormal = "real: { distribution: normal, mean: 0, sd: 1 }"

    func model(_ real: RealReference, mean: [Double], covariance: [Double]) -> MetricValues {
        gaussianMetrics(real, mean: mean, covariance: SymmetricMatrix(dimension: mean.count, values: covariance))
    }

    @Test func oneDimensionalGaussianMetrics() throws {
        let real = try Self.reference(Self.standardNormal)
        let v = model(real, mean: [1], covariance: [4])
        // W₂ = sqrt((μ−m)² + (σ−s)²) = sqrt(1 + 1).
        #expect(abs(v[.w2] - 2.0.squareRoot()) < 1e-12)
        // KL(N(0,1) ‖ N(1,4)) = log 2 + (1 + 1)/8 − 1/2.
        #expect(abs(v[.kl] - (log(2) + 0.25 - 0.5)) < 1e-10)
        #expect(v[.variance] == 4 && v[.varianceRatio] == 4 && v[.meanDrift] == 1 && v[.mean] == 1)
        #expect(abs(v[.quantileSpreadRatio] - 2) < 1e-12)
        // Tail mass of N(1, 4) outside (Φ⁻¹(0.01), Φ⁻¹(0.99)), divided by 0.02.
        let z = Probability.normalQuantile(0.99)
        let tail = Probability.normalCDF((-z - 1) / 2) + Probability.normalUpper((z - 1) / 2)
        #expect(abs(v[.tailMassRatio] - tail / 0.02) < 1e-12)
    }

    @Test func theRealModelScoresPerfectly() throws {
        let real = try Self.reference(Self.standardNormal)
        let v = model(real, mean: [0], covariance: [1])
        #expect(abs(v[.kl]) < 1e-12 && v[.w2] == 0 && v[.meanDrift] == 0)
        #expect(abs(v[.tailMassRatio] - 1) < 1e-9 && abs(v[.quantileSpreadRatio] - 1) < 1e-12)
    }

    @Test func collapsedModelHasInfiniteKLAndNoTails() throws {
        let real = try Self.reference(Self.standardNormal)
        let v = model(real, mean: [0.5], covariance: [0])
        #expect(v[.kl] == .infinity)
        #expect(v[.tailMassRatio] == 0 && v[.quantileSpreadRatio] == 0)
        #expect(abs(v[.w2] - (0.25 + 1).squareRoot()) < 1e-12)
    }

    /// Non-commuting 2×2 covariances: W₂ by the Bures formula and KL in closed form
    /// (scipy: 1.9502054796278634 and 2.3827498107524603).
    @Test func twoDimensionalGaussianMetrics() throws {
        let real = try Self.reference("real: { distribution: normal, mean: [0, 0.5], covariance: [[1, -0.3], [-0.3, 0.5]] }")
        let v = model(real, mean: [1, -1], covariance: [2, 0.5, 0.5, 1])
        #expect(abs(v[.w2] - 1.9502054796278634) < 1e-9)
        #expect(abs(v[.kl] - 2.3827498107524603) < 1e-9)
        #expect(abs(v[.trace] - 3) < 1e-12)
        #expect(abs(v[.logdet] - log(1.75)) < 1e-12)
        #expect(abs(v[.varianceRatio] - 3 / 1.5) < 1e-12)
        #expect(v[.mean].isNaN && v[.variance].isNaN)
    }

    /// KL(Student-t ‖ Gaussian) through the closed-form t entropy
    /// (scipy quad of p log(p/q): 0.08116022815770023; entropy 2.3206498529743413).
    @Test func klFromStudentTUsesItsEntropy() throws {
        let real = try Self.reference("real: { distribution: student_t, dof: 5, location: 1, scale: 2 }")
        #expect(abs(real.entropy - 2.3206498529743413) < 1e-10)
        let v = model(real, mean: [0.5], covariance: [9])
        #expect(abs(v[.kl] - 0.08116022815770023) < 1e-9)
    }

    /// The mixture's entropy by quadrature and its quantiles by bisection
    /// (scipy: entropy 1.940289214379131, q01 −2.987214160956469, q99 4.2840246332831295).
    @Test func mixtureEntropyAndQuantiles() throws {
        let real = try Self.reference("real: { distribution: mixture, weights: [0.3, 0.7], means: [-2, 1], sds: [0.5, 1.5] }")
        #expect(abs(real.entropy - 1.940289214379131) < 1e-8)
        #expect(abs(real.q01[0] - -2.987214160956469) < 1e-9)
        #expect(abs(real.q99[0] - 4.2840246332831295) < 1e-9)
    }

    /// Components far apart relative to their widths do not overlap, so the entropy is
    /// exactly Σwₖ·½log(2πeσₖ²) + H(w) (Cover & Thomas §2) — even when one component
    /// is 1000 times narrower than the other, which a single quadrature misses.
    @Test func mixtureEntropyOfSeparatedComponents() throws {
        let real = try Self.reference("real: { distribution: mixture, weights: [0.5, 0.5], means: [0, 1000], sds: [0.001, 1] }")
        let expected = 0.5 * 0.5 * log(2 * Double.pi * M_E * 1e-6) + 0.5 * 0.5 * log(2 * Double.pi * M_E) + log(2)
        #expect(abs(real.entropy - expected) < 1e-8, "\(real.entropy) vs \(expected)")
    }

    /// KS distance by hand: the sample {0.1, 0.2, 0.9} against U(0, 1) has
    /// sup|F_n − F| = max(1/3 − 0.1, 2/3 − 0.2, 0.9 − 2/3, 1 − 0.9) = 0.4666….
    @Test func kolmogorovSmirnovByHand() {
        let d = SampleMetrics.kolmogorovSmirnov(sorted: [0.1, 0.2, 0.9]) { min(max($0, 0), 1) }
        #expect(abs(d - (2.0 / 3 - 0.2)) < 1e-15)
    }

    @Test func sampleMetricsOnAKnownSample() throws {
        let real = try Self.reference(Self.standardNormal)
        let z = Probability.normalQuantile(0.99)
        // Two of five points outside (−z, z): tail fraction 0.4, ratio 20.
        let sample = Dataset(values: [-3, -1, 0, 1, 3], dimension: 1)
        let v = sampleMetrics(sample, real: real)
        #expect(abs(v[.sampleTailMassRatio] - 0.4 / 0.02) < 1e-12)
        #expect(abs(v[.sampleSkewness]) < 1e-12)  // symmetric sample
        #expect(z < 3)
        // GSL's kurtosis: mean((x−x̄)⁴)/sd⁴ − 3 with sd from n − 1: m4 = (81+1+0+1+81)/5, sd² = 20/4.
        #expect(abs(v[.sampleKurtosis] - ((164.0 / 5) / 25 - 3)) < 1e-12)
    }

    /// Sample metrics on samples of the real distribution itself: E[tail fraction] =
    /// 0.02 exactly (ratio 1), E[skewness] = 0, and E[KS] ≈ 0.8687/√n asymptotically
    /// (mean of the Kolmogorov distribution, √(π/2)·log 2); within 4 SE.
    @Test func sampleMetricsOfRealDataAreCentred() throws {
        let real = try Self.reference("real: { distribution: normal, mean: 2, sd: 3 }")
        var tails: [Double] = [], skews: [Double] = [], ks: [Double] = []
        for r in 0..<2000 {
            let stream = RandomStream(key: StreamKey(seed: 11, cell: 0, replicate: UInt64(r)))
            let sample = Dataset(values: real.distribution.sample(count: 400, stream: stream), dimension: 1)
            let v = sampleMetrics(sample, real: real)
            tails.append(v[.sampleTailMassRatio]); skews.append(v[.sampleSkewness]); ks.append(v[.ks] * 20)
        }
        let tail = MonteCarlo(tails)
        #expect(tail.agrees(with: 1), "\(tail.mean) ± \(tail.standardError)")
        #expect(MonteCarlo(skews).agrees(with: 0))
        // √n·KS has mean → √(π/2) log 2 ≈ 0.8687; at n = 400 the finite-n mean is
        // within 0.02 of it (Marsaglia, Tsang & Wang 2003), so allow that plus 4 SE.
        let k = MonteCarlo(ks)
        #expect(abs(k.mean - (Double.pi / 2).squareRoot() * log(2)) < 0.02 + 4 * k.standardError, "\(k.mean)")
    }
}
