import Testing
@testable import CollapseKit

/// Degenerate numerics are recorded, never crashed on.
struct DegenerateChainTests {
    /// With n = 2 and maximum likelihood, σ²_t = σ²_{t−1}·χ²₁/2, so log σ²_t falls by
    /// E[log(χ²₁/2)] = ψ(1/2) ≈ −1.96 per generation on average; within a few dozen
    /// generations the spread drops below the double precision of the mean: both draws
    /// round to the same number and the fitted variance is exactly 0. The chain records
    /// `variance_collapsed` once and runs to the end.
    @Test func varianceCollapsingToZeroIsRecorded() throws {
        let cell = try TestRun.run("""
            replicates: 3
            generations: 1500
            samples: 2
            metrics: [variance, kl, sample_skewness]
            """)
        for chain in cell.chains {
            #expect(chain.status == .degenerate)
            #expect(chain.events.map(\.kind) == [.varianceCollapsed])
            #expect(chain.generationCount(metricCount: 3) == 1501)
            let last = TestRun.values(cell, .variance, generation: 1500)
            #expect(last.allSatisfy { $0 == 0 })
            #expect(TestRun.values(cell, .kl, generation: 1500).allSatisfy { $0 == .infinity })
        }
        #expect(cell.status == .degenerate)
    }

    @Test func singularCovarianceStillSamples() {
        let real = try! RealReference(NormalDistribution(mean: [0, 0], covariance: .diagonal([1, 1]))!)
        let family = GaussianFamily(real: real, estimator: .mle, temperature: 1)
        // Collinear points: rank-1 covariance.
        let model = family.fit(Dataset(values: [0, 0, 1, 2, 2, 4, 3, 6], dimension: 2))
        #expect(family.diagnose(model) == [.singularCovariance])
        let sample = family.sample(model, count: 50, truth: nil, stream: RandomStream(key: StreamKey(seed: 1, cell: 1, replicate: 1)))
        #expect(sample.values.allSatisfy { $0.isFinite })
        // Samples stay on the line y = 2x.
        for r in 0..<50 { #expect(abs(sample.values[2 * r + 1] - 2 * sample.values[2 * r]) < 1e-9) }
    }

    @Test func nonFiniteDataStopsTheChainWithAReason() {
        let real = try! RealReference(NormalDistribution(mean: [0], covariance: .diagonal([1]))!)
        let family = GaussianFamily(real: real, estimator: .unbiased, temperature: 1)
        let model = family.fit(Dataset(values: [1, .nan, 3], dimension: 1))
        #expect(family.diagnose(model) == [.nonFiniteParameters])
        #expect(ChainEvent.Kind.nonFiniteParameters.isFatal)
    }

    /// Sampling at temperature 10¹⁰ multiplies the variance by about 10¹⁰ a
    /// generation, so it overflows to ∞ within about 31 generations: every chain stops
    /// there as `failed` with `non_finite_parameters`, keeps the rows before it, and the
    /// run goes on to the other replicates.
    @Test func overflowingChainsStopAndAreRecorded() throws {
        let cell = try TestRun.run("""
            replicates: 4
            generations: 200
            samples: 10
            sampling: { temperature: 1e10 }
            metrics: [variance, w2]
            """)
        #expect(cell.chains.count == 4)
        for chain in cell.chains {
            #expect(chain.status == .failed)
            let event = try #require(chain.events.first { $0.kind == .nonFiniteParameters })
            #expect(event.generation > 10 && event.generation < 60)
            #expect(chain.generationCount(metricCount: 2) == event.generation)
            let last = chain.values[(event.generation - 1) * 2]
            #expect(last.isFinite && last > 1e200)
        }
        #expect(cell.status == .failed)
        #expect(SummaryTable.csv([cell]).contains(",\(cell.chains.map(\.events[0].generation).max()! - 1),variance,"))
    }

    /// Results do not depend on the number of workers, for every policy and real
    /// distribution (subsets, fresh draws, Student-t and mixture samplers included).
    @Test(arguments: [
        "policy: { kind: accumulate_subsample }",
        "policy: { kind: accumulate }\nreal: { distribution: student_t, dof: 4 }",
        "policy: { kind: mix, real_fraction: 0.3, real_source: fresh }\nreal: { distribution: mixture, weights: [0.4, 0.6], means: [-1, 2], sds: [1, 0.5] }",
        "policy: { kind: mix, real_fraction: {from: 0.5, to: 0}, real_source: fixed, synthetic_size: 12 }\nrng: xoshiro256starstar",
        "real: { distribution: normal, mean: [0, 1], covariance: [[1, 0.5], [0.5, 2]] }",
    ])
    func workersDoNotChangeResults(_ setup: String) throws {
        let yaml = "replicates: 9\ngenerations: 20\nsamples: 15\n" + setup
        let one = try TestRun.run(yaml, jobs: 1), three = try TestRun.run(yaml, jobs: 3)
        #expect(one.chains.map(\.values) == three.chains.map(\.values))
        #expect(MetricsTable.csv([one]) == MetricsTable.csv([three]))
        #expect(SummaryTable.csv([one]) == SummaryTable.csv([three]))
    }
}
