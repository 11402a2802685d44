import Foundation
import Testing
@testable import CollapseKit

/// The `kde` family against closed forms (fixed seeds, |mean − theory| < 4·SE) and
/// against scipy 1.17's `scipy.stats.gaussian_kde` at hand-checked points.
///
/// The closed forms all come from one standard KDE fact (Silverman 1986, §3.3; the
/// "variance inflation" of the smoothed bootstrap, Efron & Tibshirani 1993 §16.5):
/// the Gaussian KDE q = (1/n) Σᵢ N(xᵢ, H) of points with biased (÷n) sample covariance
/// S_b has covariance Cov[q] = S_b + H (law of total covariance). Under `replace`
/// (Shumailov et al. 2024; Kazdan et al. 2024's KDE setting) generation t+1 trains on
/// n i.i.d. draws from q_t, whose biased sample covariance has expectation
/// ((n−1)/n) Cov[q_t]. With a = (n−1)/n:
///
/// - fixed bandwidth h (H = h²I): E[σ²_{t+1}] = a E[σ²_t] + h², E[σ²₀] = aσ₀² + h², so
///   E[σ²_t] = n h² + a^(t+1) (σ₀² − n h²): the variance no longer collapses to 0 as for
///   the Gaussian MLE (LITERATURE.md) but converges to the fixed point n h²;
/// - Scott / Silverman (H = c Σ̂, Σ̂ = S_b n/(n−1)): σ² = g·S_b with g = 1 + c n/(n−1),
///   so E[σ²_t] = (a g)^(t+1) σ₀², which *grows* geometrically when a g > 1.
struct KernelDensityTests {
    static let base = """
    seed: 5
    replicates: 2000
    generations: 30
    samples: 20
    real: { distribution: normal, mean: 0.0, sd: 1.0 }
    policy: { kind: replace }
    metrics: [variance]
    """

    /// Fixed bandwidth h = 0.3, n = 20: E[σ²_t] = n h² + ((n−1)/n)^(t+1) (σ₀² − n h²)
    /// → 1.8 (derivation in the suite's comment).
    @Test func fixedBandwidthVarianceConvergesToNTimesHSquared() throws {
        let cell = try TestRun.run(Self.base + "\nmodel: { family: kde, bandwidth: 0.3 }")
        let n = 20.0, h2 = 0.09, a = 19.0 / 20
        for t in [0, 1, 5, 15, 30] {
            let mc = MonteCarlo(TestRun.values(cell, .variance, generation: t))
            let theory = n * h2 + pow(a, Double(t + 1)) * (1 - n * h2)
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
        // It really moves towards n h² = 1.8: at t = 30 theory is 1.637.
        #expect(MonteCarlo(TestRun.values(cell, .variance, generation: 30)).mean > 1.5)
    }

    /// The same recursion in d = 2 for the trace: E[tr_t] = n d h² + a^(t+1)(tr Σ₀ − n d h²).
    @Test func fixedBandwidthTraceInTwoDimensions() throws {
        let cell = try TestRun.run(Self.base + "\nmodel: { family: kde, bandwidth: 0.3 }",
                                   overrides: ["real={ distribution: normal, mean: [0, 1], covariance: [[2, 0.5], [0.5, 1]] }",
                                               "metrics=[trace]", "replicates=1000", "generations=10"])
        for t in [0, 10] {
            let mc = MonteCarlo(TestRun.values(cell, .trace, generation: t))
            let theory = 20 * 2 * 0.09 + pow(19.0 / 20, Double(t + 1)) * (3 - 20 * 2 * 0.09)
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
    }

    /// Temperature τ scales the kernel standard deviation when sampling: Var[q_t at τ] =
    /// S_b,t + τ²h², so E[S_{t+1}] = a(E[S_t] + τ²h²), E[S₀] = aσ₀², and the recorded
    /// model variance is E[σ²_t] = E[S_t] + h² (fixed point (n−1)τ²h² + h²).
    @Test func temperatureScalesTheBandwidthWhenSampling() throws {
        let cell = try TestRun.run(Self.base + "\nmodel: { family: kde, bandwidth: 0.3 }\nsampling: { temperature: 1.5 }",
                                   overrides: ["generations=10"])
        let a = 19.0 / 20, h2 = 0.09, tau2 = 2.25
        var s = a
        for t in 0...10 {
            if t > 0 { s = a * (s + tau2 * h2) }
            guard [0, 1, 5, 10].contains(t) else { continue }
            let mc = MonteCarlo(TestRun.values(cell, .variance, generation: t))
            #expect(mc.agrees(with: s + h2), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(s + h2)")
        }
    }

    /// Scott's and Silverman's rules make H proportional to the sample covariance, so the
    /// variance compounds: E[σ²_t] = (a g)^(t+1) σ₀², g = 1 + c n/(n−1), with
    /// c = n^(−2/5) (Scott) or (3n/4)^(−2/5) (Silverman), d = 1. For n = 20: a g = 1.2517
    /// (Scott), 1.2885 (Silverman) — the KDE's smoothing inflates the variance every
    /// generation.
    @Test(arguments: [("scott", 1.0), ("silverman", 0.75)])
    func ruleOfThumbBandwidthInflatesTheVariance(rule: String, factor: Double) throws {
        let cell = try TestRun.run(Self.base + "\nmodel: { family: kde, bandwidth: \(rule) }",
                                   overrides: ["generations=6"])
        let n = 20.0, a = 19.0 / 20
        let g = 1 + pow(factor * n, -0.4) * n / (n - 1)
        for t in [0, 3, 6] {
            let mc = MonteCarlo(TestRun.values(cell, .variance, generation: t))
            let theory = pow(a * g, Double(t + 1))
            #expect(mc.agrees(with: theory), "\(rule) t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
        #expect(MonteCarlo(TestRun.values(cell, .variance, generation: 6)).mean > 2.5)
    }

    static func family(_ bandwidth: KernelDensityFamily.Bandwidth, real yaml: String) throws -> KernelDensityFamily {
        let real = try RealReference(TestRun.config(yaml).real.makeDistribution()!)
        return KernelDensityFamily(real: real, bandwidth: bandwidth, temperature: 1)
    }

    /// Kernel covariances and log densities against scipy.stats.gaussian_kde (same rules:
    /// Scott factor n^(−1/(d+4)), Silverman (n(d+2)/4)^(−1/(d+4)) on the unbiased sample
    /// covariance). By hand for n = 6, d = 1: s² = 1.6376667 (÷(n−1)); Scott
    /// 6^(−2/5)·s² = 0.79977; Silverman 4.5^(−2/5)·s² = 0.89731.
    @Test func bandwidthRulesAndDensitiesMatchScipy() throws {
        let x = Dataset(values: [-1.2, 0.3, 0.8, 2.5, -0.4, 1.1], dimension: 1)
        let at = [-3.0, 0.0, 0.9, 4.0]
        let cases: [(KernelDensityFamily.Bandwidth, Double, [Double])] = [
            (.scott, 0.7997698156349913, [-4.5110365801642285, -1.370447492081615, -1.380967703185834, -3.9772122430258934]),
            (.silverman, 0.8973058598242366, [-4.315911807995951, -1.3883476254826328, -1.401925371035447, -3.86555047702577]),
            (.fixed(0.5), 0.25, [-8.496674852277307, -1.3321754356789384, -1.129561420512244, -6.5175462453451285]),
        ]
        for (rule, h2, logs) in cases {
            let f = try Self.family(rule, real: "real: { distribution: normal, mean: 0, sd: 1 }")
            let model = f.fit(x)
            #expect(f.diagnose(model).isEmpty)
            #expect(abs(model.mixture.covariances[0] - h2) < 1e-14, "\(rule): \(model.mixture.covariances[0])")
            expectElementwise(model.mixture.logDensities(at), logs, within: 1e-12, "\(rule): ")
            // nll_heldout on a given held-out sample is −mean log q, kl adds the real
            // N(0, 1) mean log density (scipy norm.logpdf: −4.1451885332046725).
            let v = f.measureAll(model, batch: x, heldout: Dataset(values: at, dimension: 1))
            let nll = -logs.reduce(0, +) / 4
            #expect(abs(v[.nllHeldout] - nll) < 1e-12)
            #expect(abs(v[.kl] - (nll - 4.1451885332046725)) < 1e-12)
            // The model variance is S_b + h² (S_b = 1.3647222, the ÷n variance).
            #expect(abs(v[.variance] - (1.3647222222222224 + h2)) < 1e-12)
        }
        // d = 2 (Scott and Silverman coincide there: n(d+2)/4 = n).
        let x2 = Dataset(values: [0, 1, 1, 0.5, 2, 2.5, -1, 0, 0.5, -0.5], dimension: 2)
        for rule: KernelDensityFamily.Bandwidth in [.scott, .silverman] {
            let f = try Self.family(rule, real: "real: { distribution: normal, mean: [0, 0], covariance: [[1, 0], [0, 1]] }")
            let model = f.fit(x2)
            expectElementwise(model.mixture.covariances, [0.7310044345532165, 0.5117031041872516, 0.5117031041872516, 0.7748647006264097], within: 1e-14)
            expectElementwise(model.mixture.logDensities([0, 0, 1, 1, 3, -2]), [-2.494007704550145, -2.460132698116953, -19.785201215452965], within: 1e-12, relative: true)
        }
    }

    /// Every training point equal: Scott's kernel is 0, the model is a point mass —
    /// recorded (`variance_collapsed` in d = 1, `singular_covariance` in d = 2), sampled
    /// exactly at the point, with no density (nll_heldout = kl = +∞), never NaN.
    @Test func identicalPointsGiveARecordedPointMass() throws {
        for (d, kind) in [(1, ChainEvent.Kind.varianceCollapsed), (2, .singularCovariance)] {
            let yaml = d == 1 ? "real: { distribution: normal, mean: 0, sd: 1 }"
                : "real: { distribution: normal, mean: [0, 0], covariance: [[1, 0], [0, 1]] }"
            let f = try Self.family(.scott, real: yaml)
            let model = f.fit(Dataset(values: [Double](repeating: 1.5, count: 8 * d), dimension: d))
            #expect(f.diagnose(model) == [kind])
            let truth = heldoutSample(f.real, count: 4, stream: RandomStream(key: StreamKey(seed: 1, cell: 0, replicate: 0)))
            let out = f.sample(model, count: 10, truth: nil, stream: RandomStream(key: StreamKey(seed: 2, cell: 0, replicate: 0)))
            #expect(out.values.allSatisfy { $0 == 1.5 })
            let v = f.measureAll(model, batch: out, heldout: truth)
            #expect(v[.nllHeldout] == .infinity && v[.kl] == .infinity)
        }
    }

    /// Results do not depend on the number of workers (held-out sample, accumulate-
    /// subsample draws, sample metrics included).
    @Test(arguments: ["policy: { kind: accumulate_subsample }\nmodel: { family: kde, bandwidth: scott }",
                      "policy: { kind: accumulate }\nmodel: { family: kde, bandwidth: 0.2 }\nsampling: { temperature: 0.8 }",
                      "model: { family: kde, bandwidth: silverman }\nreal: { distribution: normal, mean: [0, 1], covariance: [[1, 0.5], [0.5, 2]] }"])
    func workersDoNotChangeResults(_ setup: String) throws {
        let yaml = "replicates: 7\ngenerations: 8\nsamples: 15\nheldout: 50\n" + setup
        let one = try TestRun.run(yaml, jobs: 1), three = try TestRun.run(yaml, jobs: 3)
        #expect(one.metrics.contains(.nllHeldout))
        #expect(one.chains.map(\.values) == three.chains.map(\.values))
        #expect(MetricsTable.csv([one]) == MetricsTable.csv([three]))
    }
}
