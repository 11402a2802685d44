import Foundation
import Testing
@testable import CollapseKit

/// The `gmm` family: EM against known answers, degenerate data (recorded, never NaN),
/// and chains against closed forms (fixed seeds, |mean − theory| < 4·SE).
struct GaussianMixtureTests {
    static func family(_ yaml: String, components: Int, covariance: GaussianMixtureFamily.CovarianceType = .full,
                       regularization: Double = 1e-6, tolerance: Double = 1e-3) throws -> GaussianMixtureFamily {
        let real = try RealReference(TestRun.config(yaml).real.makeDistribution()!)
        let options = GaussianMixtureFamily.Options(components: components, covariance: covariance, maxIterations: 100,
                                                 tolerance: tolerance, regularization: regularization)
        return GaussianMixtureFamily(real: real, options: options, temperature: 1)
    }

    static let normal1 = "real: { distribution: normal, mean: 0, sd: 1 }"
    static let normal2 = "real: { distribution: normal, mean: [0, 0], covariance: [[1, 0], [0, 1]] }"

    static func stream(_ seed: UInt64) -> RandomStream { RandomStream(key: StreamKey(seed: seed, cell: 9, replicate: 0)) }

    /// Mean and biased (÷n) covariance of rows [from, to) of a d = 2 sample.
    static func moments(_ x: [Double], from: Int, to: Int) -> (mean: [Double], cov: [Double]) {
        let n = Double(to - from)
        var m = [0.0, 0.0]
        for r in from..<to { m[0] += x[2 * r] / n; m[1] += x[2 * r + 1] / n }
        var c = [0.0, 0.0, 0.0, 0.0]
        for r in from..<to {
            let e = [x[2 * r] - m[0], x[2 * r + 1] - m[1]]
            for a in 0..<2 { for b in 0..<2 { c[a * 2 + b] += e[a] * e[b] / n } }
        }
        return (m, c)
    }

    /// Known answer: 300 points of N((−10, 0), [[1, .6], [.6, 2]]) and 700 of
    /// N((10, 5), [[.5, −.2], [−.2, .8]]) are separated by a Mahalanobis distance of
    /// about 20, so every responsibility is 0 or 1 to double precision and the EM fixed
    /// point is the per-cluster maximum-likelihood fit (Bishop 2006 §9.2.2): weights
    /// 0.3 / 0.7, the cluster means, the cluster ÷n covariances + ε (diagonal: their
    /// diagonals). And those agree with the truth within 4 standard errors
    /// (SE of a mean coordinate √(Σ_aa/n_j)).
    @Test(arguments: [GaussianMixtureFamily.CovarianceType.full, .diagonal])
    func emRecoversAWellSeparatedMixture(covariance: GaussianMixtureFamily.CovarianceType) throws {
        let truthA = (mean: [-10.0, 0], cov: [1.0, 0.6, 0.6, 2])
        let truthB = (mean: [10.0, 5], cov: [0.5, -0.2, -0.2, 0.8])
        let s = Self.stream(3)
        let x = NormalDistribution(mean: truthA.mean, covariance: SymmetricMatrix(dimension: 2, values: truthA.cov))!.sample(count: 300, stream: s)
            + NormalDistribution(mean: truthB.mean, covariance: SymmetricMatrix(dimension: 2, values: truthB.cov))!.sample(count: 700, stream: s)
        let f = try Self.family(Self.normal2, components: 2, covariance: covariance, tolerance: 1e-10)
        let model = f.fit(Dataset(values: x, dimension: 2))
        #expect(f.diagnose(model).isEmpty)
        let q = model.mixture
        let a = q.means[0] < 0 ? 0 : 1, b = 1 - a
        #expect(abs(q.weights[a] - 0.3) < 1e-12 && abs(q.weights[b] - 0.7) < 1e-12)
        for (j, rows, truth) in [(a, (0, 300), truthA), (b, (300, 1000), truthB)] {
            let m = Self.moments(x, from: rows.0, to: rows.1)
            for i in 0..<2 { #expect(abs(q.means[j * 2 + i] - m.mean[i]) < 1e-10) }
            for e in 0..<4 {
                let expected = covariance == .diagonal && (e == 1 || e == 2) ? 0 : m.cov[e] + (e == 0 || e == 3 ? 1e-6 : 0)
                #expect(abs(q.covariances[j * 4 + e] - expected) < 1e-10, "component \(j) entry \(e)")
            }
            let n = Double(rows.1 - rows.0)
            for i in 0..<2 {
                let se = (truth.cov[i * 3] / n).squareRoot()
                #expect(abs(q.means[j * 2 + i] - truth.mean[i]) < 4 * se)
            }
        }
    }

    /// EM increases the likelihood: a 1-D two-mode sample with overlap (soft
    /// responsibilities) converges (improvement below 10⁻¹⁰ before max_iterations), and
    /// the fitted mixture's moments are those of the data
    /// (EM's M-step preserves Σ wⱼμⱼ = x̄ and, without ε, the total variance).
    @Test func emFixedPointPreservesTheDataMoments() throws {
        let real = NormalMixtureDistribution(weights: [0.4, 0.6], means: [-1, 1.5], sds: [1, 0.7])
        let x = real.sample(count: 500, stream: Self.stream(4))
        let options = GaussianMixtureFamily.Options(components: 2, covariance: .full, maxIterations: 10_000,
                                                 tolerance: 1e-10, regularization: 0)
        let data = Dataset(values: x, dimension: 1)
        let result = GaussianMixtureEM(options: options).fit(data, stream: Self.stream(5))
        #expect(result.iterations > 2 && result.iterations < 10_000)
        let mean = x.reduce(0, +) / 500
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 500
        #expect(abs(result.model.mean[0] - mean) < 1e-10)
        #expect(abs(result.model.covariance[0, 0] - variance) < 1e-9)
        // Its log-likelihood beats the single Gaussian's (−½ log 2πe σ̂² per point).
        #expect(result.logLikelihood > -0.5 * log(2 * Double.pi * exp(1.0) * variance) + 0.01)
    }

    /// All points equal (d = 1 and 2, full and diagonal): one component takes every
    /// point with covariance exactly ε (`component_collapsed`), the k-means++ repeat gets
    /// nothing (`empty_component`, weight 0); no NaN, finite samples at the point ± √ε,
    /// finite nll_heldout.
    @Test(arguments: [(1, GaussianMixtureFamily.CovarianceType.full), (2, .full), (2, .diagonal)])
    func allDuplicatePointsAreRecordedNotNaN(dimension d: Int, covariance: GaussianMixtureFamily.CovarianceType) throws {
        let f = try Self.family(d == 1 ? Self.normal1 : Self.normal2, components: 2, covariance: covariance)
        let model = f.fit(Dataset(values: [Double](repeating: 2.5, count: 20 * d), dimension: d))
        #expect(Set(f.diagnose(model)) == [.emptyComponent, .componentCollapsed])
        let q = model.mixture
        #expect(q.isFinite)
        #expect(q.weights.sorted() == [0, 1])
        let j = q.weights[0] == 1 ? 0 : 1
        for i in 0..<d { #expect(q.means[j * d + i] == 2.5 && q.covariances[j * d * d + i * d + i] == 1e-6) }
        let truth = heldoutSample(f.real, count: 10, stream: Self.stream(6))
        let out = f.sample(model, count: 50, truth: nil, stream: Self.stream(7))
        #expect(out.values.allSatisfy { abs($0 - 2.5) < 0.01 })
        let v = f.measureAll(model, batch: out, heldout: truth)
        #expect(v[.nllHeldout].isFinite && v[.minWeight] == 0)
    }

    /// k = 5 components on 3 distinct values (4 copies each): k-means++ seeds the three
    /// values, then repeats (Σ D² = 0); three components sit on one value each with weight
    /// 1/3 and covariance ε, two are empty. Recorded, finite.
    @Test func moreComponentsThanDistinctPoints() throws {
        let f = try Self.family(Self.normal1, components: 5)
        let x = [Double](repeating: -1, count: 4) + [Double](repeating: 0.5, count: 4) + [Double](repeating: 3, count: 4)
        let model = f.fit(Dataset(values: x, dimension: 1))
        #expect(Set(f.diagnose(model)) == [.emptyComponent, .componentCollapsed])
        let q = model.mixture
        #expect(q.isFinite)
        #expect(q.weights.filter { $0 == 0 }.count == 2)
        let used = (0..<5).filter { q.weights[$0] > 0 }
        #expect(Set(used.map { q.means[$0] }) == [-1, 0.5, 3])
        for j in used { #expect(abs(q.weights[j] - 1.0 / 3) < 1e-12 && q.covariances[j] == 1e-6) }
    }

    /// One component collapses onto a single repeated point (15 copies of 8 next to 60
    /// N(0, 1) points): its covariance is exactly the floor ε, its weight 15/75; the
    /// other component is the N(0, 1) points' maximum-likelihood fit.
    @Test func aComponentCollapsingOntoOnePoint() throws {
        let f = try Self.family(Self.normal1, components: 2, tolerance: 1e-10)
        let gaussian = NormalDistribution(mean: [0], covariance: .diagonal([1]))!.sample(count: 60, stream: Self.stream(8))
        let model = f.fit(Dataset(values: gaussian + [Double](repeating: 8, count: 15), dimension: 1))
        #expect(f.diagnose(model) == [.componentCollapsed])
        let q = model.mixture
        let spike = q.means[0] > 4 ? 0 : 1
        #expect(abs(q.means[spike] - 8) < 1e-12 && abs(q.covariances[spike] - 1e-6) < 1e-15 && abs(q.weights[spike] - 0.2) < 1e-12)
        let mean = gaussian.reduce(0, +) / 60
        #expect(abs(q.means[1 - spike] - mean) < 1e-9)
    }

    /// Without a floor (regularization 0) duplicates give a singular component: EM stops,
    /// `singular_covariance` (d = 2) is recorded, parameters stay finite, samples sit on
    /// the point, and the model has no density (nll_heldout = +∞).
    @Test func noFloorGivesARecordedSingularComponent() throws {
        let f = try Self.family(Self.normal2, components: 2, regularization: 0)
        let model = f.fit(Dataset(values: [Double](repeating: 1, count: 12), dimension: 2))
        #expect(Set(f.diagnose(model)) == [.emptyComponent, .componentCollapsed, .singularCovariance])
        #expect(model.mixture.isFinite)
        let truth = heldoutSample(f.real, count: 10, stream: Self.stream(9))
        let out = f.sample(model, count: 20, truth: nil, stream: Self.stream(10))
        #expect(out.values.allSatisfy { $0 == 1 })
        let v = f.measureAll(model, batch: out, heldout: truth)
        #expect(v[.nllHeldout] == .infinity)
    }

    /// k = 1 is the Gaussian family's maximum-likelihood fit (one EM step gives x̄ and the
    /// ÷n covariance; with regularization 0 nothing is added), so under replace
    /// E[σ²_t] = σ₀² ((n−1)/n)^(t+1) (Shumailov et al. 2024; LITERATURE.md), and in d = 2
    /// E[tr Σ_t] = tr Σ₀ ((n−1)/n)^(t+1) for full and diagonal covariances alike.
    @Test(arguments: ["full", "diagonal"])
    func oneComponentIsTheGaussianMLE(covariance: String) throws {
        let cell = try TestRun.run("""
            seed: 7
            replicates: 2000
            generations: 30
            samples: 20
            model: { family: gmm, components: 1, covariance: \(covariance), regularization: 0 }
            real: { distribution: normal, mean: 0.0, sd: 1.0 }
            metrics: [variance, min_weight]
            """)
        for t in [0, 5, 15, 30] {
            let mc = MonteCarlo(TestRun.values(cell, .variance, generation: t))
            let theory = GaussianTheory.expectedVarianceReplaceMLE(sigma0Squared: 1, samples: 20, generation: t)
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
        #expect(TestRun.values(cell, .minWeight, generation: 30).allSatisfy { $0 == 1 })
        let two = try TestRun.run("""
            seed: 8
            replicates: 1000
            generations: 10
            samples: 20
            model: { family: gmm, components: 1, covariance: \(covariance), regularization: 0 }
            real: { distribution: normal, mean: [0, 1], covariance: [[2, 0.5], [0.5, 1]] }
            metrics: [trace]
            """)
        for t in [0, 10] {
            let mc = MonteCarlo(TestRun.values(two, .trace, generation: t))
            let theory = 3 * pow(19.0 / 20, Double(t + 1))
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
    }

    /// Two well-separated modes (±4, sd 1), k = 2, replace: each generated point keeps
    /// the label of the component it came from, so a component's weight is a Wright–Fisher
    /// allele frequency, w_{t+1} = Bin(n, w_t)/n, and generation 0 fits K/n with
    /// K ~ Bin(n, ½). Heterozygosity decays as E[w_t(1−w_t)] = ¼ (1 − 1/n)^(t+1)
    /// (Wright–Fisher drift; the categorical family's closed form), and
    /// min_weight·(1 − min_weight) = w(1 − w). Valid while neither mode is nearly lost:
    /// a mode down to a few points is often missed by the single k-means++ seeding (both
    /// centres in the other mode, EM then settles in a local optimum) and a lost mode is
    /// re-split, so the check stops at t = 10 with n = 100. Both modes are found at
    /// generation 0 in all but a rare chain (EM local optimum from a k-means++ seeding
    /// with both centres in one mode, ~0.2 % of fits here).
    @Test func componentWeightsDriftAsWrightFisher() throws {
        let cell = try TestRun.run("""
            seed: 11
            replicates: 600
            generations: 10
            samples: 100
            model: { family: gmm, components: 2 }
            real: { distribution: mixture, weights: [0.5, 0.5], means: [-4, 4], sds: [1, 1] }
            metrics: [min_weight, modes_retained]
            """)
        #expect(TestRun.values(cell, .modesRetained, generation: 0).filter { $0 == 2 }.count >= 594)
        for t in [0, 5, 10] {
            let h = MonteCarlo(TestRun.values(cell, .minWeight, generation: t).map { $0 * (1 - $0) })
            let theory = 0.25 * pow(1 - 1.0 / 100, Double(t + 1))
            #expect(h.agrees(with: theory), "t=\(t): \(h.mean) ± \(h.standardError) vs \(theory)")
        }
    }

    /// Small n under replace: Wright–Fisher fixation loses a mode for good. With n = 8,
    /// P(neither mode fixed at t = 100) ≤ E[w(1−w)] / (7/64) = (16/7)(7/8)^101 ≈ 3·10⁻⁶
    /// (Markov's inequality on the heterozygosity above; 0 < w < 1 means w(1−w) ≥ 7/64),
    /// and a lost mode never returns, so at most one mode is
    /// retained in every chain; components collapse on the way (recorded, no chain fails,
    /// nll_heldout stays a number).
    @Test func smallSamplesLoseAModeAndRecordCollapse() throws {
        let cell = try TestRun.run("""
            seed: 12
            replicates: 40
            generations: 100
            samples: 8
            heldout: 50
            model: { family: gmm, components: 2 }
            real: { distribution: mixture, weights: [0.5, 0.5], means: [-4, 4], sds: [1, 1] }
            metrics: [min_weight, modes_retained, nll_heldout]
            """)
        #expect(TestRun.values(cell, .modesRetained, generation: 100).allSatisfy { $0 <= 1 })
        #expect(cell.chains.allSatisfy { $0.status != .failed })
        #expect(cell.chains.contains { $0.events.contains { $0.kind == .componentCollapsed } })
        #expect(TestRun.values(cell, .nllHeldout, generation: 100).allSatisfy { !$0.isNaN })
    }

    /// Results do not depend on the number of workers (the k-means++ stream is keyed by
    /// the training set, not by a thread).
    @Test(arguments: ["model: { family: gmm, components: 2 }\nreal: { distribution: mixture, weights: [0.4, 0.6], means: [-2, 2], sds: [1, 0.5] }",
                      "model: { family: gmm, components: 3, covariance: diagonal }\npolicy: { kind: accumulate_subsample }\nreal: { distribution: normal, mean: [0, 1], covariance: [[1, 0.5], [0.5, 2]] }\nsampling: { temperature: 0.7 }"])
    func workersDoNotChangeResults(_ setup: String) throws {
        let yaml = "replicates: 7\ngenerations: 8\nsamples: 30\nheldout: 50\n" + setup
        let one = try TestRun.run(yaml, jobs: 1), three = try TestRun.run(yaml, jobs: 3)
        #expect(one.metrics.contains(.nllHeldout))
        #expect(one.chains.map(\.values) == three.chains.map(\.values))
        #expect(MetricsTable.csv([one]) == MetricsTable.csv([three]))
    }
}
