import Foundation
import Testing
@testable import CollapseKit

/// The shared Gaussian-mixture model (densities, marginals, moments), the real
/// distributions' log densities, and ``MixtureMetrics`` at hand-checked points.
/// Reference values marked "scipy" were computed with scipy 1.17
/// (scipy.stats.norm / multivariate_normal / t, scipy.special.logsumexp,
/// scipy.optimize.brentq on the mixture CDF).
struct MixtureMetricTests {
    static func reference(_ yaml: String) throws -> RealReference {
        try RealReference(TestRun.config(yaml).real.makeDistribution()!)
    }

    /// 0.2·N(−1, 0.5²) + 0.5·N(0.5, 1) + 0.3·N(3, 2²).
    static let threeComponents = GaussianMixtureModel(dimension: 1, weights: [0.2, 0.5, 0.3], means: [-1, 0.5, 3],
                                                       covariances: [0.25, 1, 4])

    @Test func oneDimensionalDensityCDFAndQuantiles() {
        let q = Self.threeComponents
        // scipy: log Σ wⱼ N(x | μⱼ, σⱼ²); at x = 40 every density underflows and
        // log-sum-exp is needed.
        let logs = q.logDensities([-1.3, 0.2, 4.5, 12, 40])
        let expected = [-1.722061257896541, -1.5045787438086737, -3.095828228338351, -12.941058518090554,
                        -173.94105851809056]
        expectElementwise(logs, expected, within: 1e-12, relative: true)
        #expect(abs(q.marginalCDF(0, coordinate: 0) - 0.369760903354015) < 1e-14)
        #expect(abs(q.marginalCDF(2, coordinate: 0) - 0.7591576607860495) < 1e-14)
        // scipy brentq on the CDF.
        #expect(abs(q.marginalQuantile(0.01, coordinate: 0) - -1.9857309809093795) < 1e-10)
        #expect(abs(q.marginalQuantile(0.5, coordinate: 0) - 0.5812035771175278) < 1e-10)
        #expect(abs(q.marginalQuantile(0.99, coordinate: 0) - 6.667829287176301) < 1e-10)
        // Mean Σwμ = 0.95, variance Σw(σ² + (μ − m)²) = 3.8725.
        #expect(abs(q.mean[0] - 0.95) < 1e-14 && abs(q.covariance[0, 0] - 3.8725) < 1e-12)
    }

    /// 0.4·N((0, 1), [[1, .3], [.3, .5]]) + 0.6·N((2, −1), [[2, −.8], [−.8, 1]]).
    @Test func twoDimensionalDensityAndMoments() {
        let q = GaussianMixtureModel(dimension: 2, weights: [0.4, 0.6], means: [0, 1, 2, -1],
                                     covariances: [1, 0.3, 0.3, 0.5, 2, -0.8, -0.8, 1])
        let logs = q.logDensities([0.5, 0.5, 3, -2, -4, 6])
        // scipy multivariate_normal + logsumexp.
        expectElementwise(logs, [-2.549366272655496, -3.017150922203711, -27.061268569461], within: 1e-12, relative: true)
        expectElementwise(q.mean, [1.2, -0.2], within: 1e-14)
        expectElementwise(q.covariance.values, [2.56, -1.32, -1.32, 1.76], within: 1e-12)
        #expect(abs(q.marginalCDF(0, coordinate: 1) - 0.5362666890511827) < 1e-14)
    }

    /// The real distributions' log densities (scipy).
    @Test func realLogDensities() throws {
        func logp(_ r: any RealDistribution, _ x: [Double]) -> Double {
            x.withUnsafeBufferPointer { r.logDensity($0) }
        }
        let t = StudentTDistribution(dof: 5, location: 1, scale: 2)
        #expect(abs(logp(t, [2.5]) - -1.9815959747894443) < 1e-12)
        #expect(abs(logp(StudentTDistribution(dof: 3, location: 0, scale: 1), [-30]) - -12.41510937912126) < 1e-11)
        let normal = NormalDistribution(mean: [0, 0.5], covariance: SymmetricMatrix(dimension: 2, values: [1, -0.3, -0.3, 0.5]))!
        #expect(abs(logp(normal, [1, -1]) - -3.648175567743064) < 1e-12)
        let mix = NormalMixtureDistribution(weights: [0.3, 0.7], means: [-2, 1], sds: [0.5, 1.5])
        #expect(abs(logp(mix, [0.4]) - -1.7610647555568533) < 1e-12)
        #expect(abs(logp(mix, [-60]) - -828.5699674741404) < 1e-9)
        // The mean log density is the average of the pointwise ones.
        #expect(abs(mix.meanLogDensity([0.4, -60]) - (-1.7610647555568533 - 828.5699674741404) / 2) < 1e-9)
    }

    func metrics(_ q: GaussianMixtureModel, real: RealReference, output: Dataset = Dataset(values: [], dimension: 1),
                 heldout: Dataset? = nil) -> MetricValues {
        let family = GaussianMixtureFamily(real: real, options: .init(components: q.componentCount, covariance: .full,
                                                                      maxIterations: 1, tolerance: 0, regularization: 0),
                                           temperature: 1)
        return family.measureAll(FittedMixture(mixture: q, events: []), batch: output, heldout: heldout)
    }

    /// A one-component mixture is a Gaussian: every moment and shape metric agrees with
    /// ``GaussianMetrics`` (tail mass in closed form; the bisected quantile spread with
    /// 2zσ/(q99 − q01)).
    @Test(arguments: ["real: { distribution: normal, mean: 0, sd: 1 }",
                      "real: { distribution: student_t, dof: 4, location: 1, scale: 1.5 }",
                      "real: { distribution: mixture, weights: [0.3, 0.7], means: [-2, 1], sds: [0.5, 1.5] }"])
    func aOneComponentMixtureScoresAsItsGaussian(real yaml: String) throws {
        let real = try Self.reference(yaml)
        let q = GaussianMixtureModel(dimension: 1, weights: [1], means: [0.7], covariances: [2.3])
        let v = metrics(q, real: real)
        let g = gaussianMetrics(real, mean: [0.7], covariance: SymmetricMatrix(dimension: 1, values: [2.3]))
        for m: MetricName in [.mean, .variance, .varianceRatio, .meanDrift, .tailMassRatio] {
            #expect(abs(v[m] - g[m]) < 1e-12 * max(1, abs(g[m])), "\(m): \(v[m]) vs \(g[m])")
        }
        #expect(abs(v[.quantileSpreadRatio] - g[.quantileSpreadRatio]) < 1e-9)
        #expect(v[.minWeight] == 1)
    }

    /// The three-component mixture against N(0, 1): exact tail mass outside ±Φ⁻¹(0.99)
    /// (scipy 0.20964894740291873) over 0.02, and the bisected quantile spread.
    @Test func mixtureTailMassAndSpread() throws {
        let real = try Self.reference("real: { distribution: normal, mean: 0, sd: 1 }")
        let v = metrics(Self.threeComponents, real: real)
        #expect(abs(v[.tailMassRatio] - 0.20964894740291873 / 0.02) < 1e-10)
        let z = Probability.normalQuantile(0.99)
        #expect(abs(v[.quantileSpreadRatio] - (6.667829287176301 + 1.9857309809093795) / (2 * z)) < 1e-9)
        #expect(abs(v[.variance] - 3.8725) < 1e-12 && abs(v[.meanDrift] - 0.95) < 1e-14)
    }

    /// 2-D moments use the Gaussian family's formulas on the mixture's covariance.
    @Test func twoDimensionalMomentMetrics() throws {
        let real = try Self.reference("real: { distribution: normal, mean: [0, 0.5], covariance: [[1, -0.3], [-0.3, 0.5]] }")
        let q = GaussianMixtureModel(dimension: 2, weights: [0.4, 0.6], means: [0, 1, 2, -1],
                                     covariances: [1, 0.3, 0.3, 0.5, 2, -0.8, -0.8, 1])
        let v = metrics(q, real: real, output: Dataset(values: [], dimension: 2))
        let g = gaussianMetrics(real, mean: q.mean, covariance: q.covariance)
        for m: MetricName in [.trace, .logdet, .varianceRatio, .meanDrift] {
            #expect(abs(v[m] - g[m]) < 1e-12 * max(1, abs(g[m])), "\(m)")
        }
        #expect(abs(v[.logdet] - log(2.56 * 1.76 - 1.32 * 1.32)) < 1e-12)
        #expect(v[.w2].isNaN && v[.modesRetained].isNaN)
    }

    /// W₂ on the sample: √((1/m) Σ (x₍ᵢ₎ − F⁻¹((i−½)/m))²) (scipy: 0.47907784602688785 for
    /// N(0, 1), 0.7859062298552252 for 1 + 1.5·t₄).
    @Test func sampleWassersteinAgainstTheRealQuantiles() throws {
        let sample = Dataset(values: [2.2, -1.5, 0.1, 0.9, -0.2], dimension: 1)
        let normal = try Self.reference("real: { distribution: normal, mean: 0, sd: 1 }")
        #expect(abs(MixtureMetrics.sampleW2(sample, real: normal) - 0.47907784602688785) < 1e-12)
        let t = try Self.reference("real: { distribution: student_t, dof: 4, location: 1, scale: 1.5 }")
        #expect(abs(MixtureMetrics.sampleW2(sample, real: t) - 0.7859062298552252) < 1e-10)
        #expect(MixtureMetrics.sampleW2(Dataset(values: [], dimension: 1), real: t).isNaN)
    }

    /// `modes_retained` counts real components with a model component within one real
    /// sd of their mean and weight ≥ 1/(4k); `min_weight` is the smallest weight.
    @Test func modesRetainedAndMinWeight() throws {
        let real = try Self.reference("real: { distribution: mixture, weights: [0.4, 0.3, 0.3], means: [-3, 3, 8], sds: [1, 0.4, 1] }")
        // k = 3, threshold 1/12: −2.1 is within 1 of −3 (kept); 3.5 is 0.5 > 0.4 from 3
        // (lost); 8.2 is within 1 of 8 but has weight 0.05 < 1/12 (lost).
        let q = GaussianMixtureModel(dimension: 1, weights: [0.5, 0.45, 0.05], means: [-2.1, 3.5, 8.2],
                                     covariances: [1, 1, 1])
        let v = metrics(q, real: real)
        #expect(v[.modesRetained] == 1)
        #expect(v[.minWeight] == 0.05)
        let all = GaussianMixtureModel(dimension: 1, weights: [0.4, 0.3, 0.3], means: [-3.9, 2.7, 8], covariances: [1, 1, 1])
        #expect(metrics(all, real: real)[.modesRetained] == 3)
    }

    /// The Monte Carlo KL, (1/m) Σ [log p(xᵢ) − log q(xᵢ)] over the held-out sample, is
    /// unbiased for KL(real ‖ q); for a Gaussian q it must agree with the Gaussian
    /// family's closed form −H(p) + ½[log 2πσ² + (s² + (μ − m)²)/σ²] within 4·SE,
    /// SE = sd(log p − log q)/√m. `nll_heldout` is the −(1/m) Σ log q(xᵢ) part.
    @Test(arguments: ["real: { distribution: normal, mean: 0, sd: 1 }",
                      "real: { distribution: student_t, dof: 5, location: 1, scale: 2 }",
                      "real: { distribution: mixture, weights: [0.3, 0.7], means: [-2, 1], sds: [0.5, 1.5] }"])
    func monteCarloKLAgreesWithTheClosedForm(real yaml: String) throws {
        let real = try Self.reference(yaml)
        let q = GaussianMixtureModel(dimension: 1, weights: [1], means: [0.5], covariances: [3])
        let heldout = heldoutSample(real, count: 20_000, stream: RandomStream(key: StreamKey(seed: 11, cell: 2, replicate: 3)))
        let points = heldout.values
        let logQ = q.logDensities(points)
        let terms = points.indices.map { i in
            points.withUnsafeBufferPointer { real.distribution.logDensity(UnsafeBufferPointer(rebasing: $0[i..<(i + 1)])) } - logQ[i]
        }
        let mc = MonteCarlo(terms)
        let g = gaussianMetrics(real, mean: [0.5], covariance: SymmetricMatrix(dimension: 1, values: [3]))
        #expect(mc.agrees(with: g[.kl]), "\(mc.mean) ± \(mc.standardError) vs \(g[.kl])")
        let v = metrics(q, real: real, heldout: heldout)
        #expect(abs(v[.kl] - mc.mean) < 1e-10)
        #expect(abs(v[.nllHeldout] + logQ.reduce(0, +) / 20_000) < 1e-12)
    }
}
