import Foundation
import Testing
@testable import CollapseKit

/// The memory estimate `collapse run` checks before it starts (MemoryEstimate.swift):
/// each term, from the sizes the config implies.
@Suite struct MemoryEstimateTests {
    func estimate(_ yaml: String, jobs: Int) throws -> MemoryEstimate {
        MemoryEstimate(experiment: try ConfigLoader.parseExperiment(text: yaml, source: "config", overrides: []), jobs: jobs)
    }

    /// 2 × 10⁵ replicates × 101 generations × 3 metrics = 6 × 10⁷ values: streamed, so
    /// only the summary block (4 Mi values), a batch of text and the per-chain index
    /// count, not 480 MB.
    @Test func streamedResultsCountOneSummaryBlock() throws {
        let e = try estimate("""
            replicates: 200000
            generations: 100
            samples: 100
            model: { family: gaussian }
            metrics: [mean, variance, w2]
            sampler: statistics
            """, jobs: 2)
        // The block (4 Mi values), two batches' text (one written while the next is
        // formatted: 2 × 128 chains × 303 values) and the index.
        let block: Double = 8 * 4_194_304, text: Double = 56 * 2 * 128 * 303, index: Double = 128 * 200_000
        #expect(e.shared == block + text + index)
        #expect(e.shared < 70e6)
    }

    static let base = """
    replicates: 3
    generations: 10
    samples: 1000
    real: { distribution: normal, dimension: 100 }
    metrics: [trace]
    sampler: samples

    """

    /// accumulate at G = 10: the last training set holds (G + 1)n points, beside the
    /// n-point output batch; 8d = 800 bytes a point; rows (G + 1) × 1 metric × 8.
    @Test func accumulateCountsItsLastTrainingSet() throws {
        let e = try estimate(Self.base + "policy: { kind: accumulate }\n", jobs: 8)
        #expect(e.perChain == Double((11 * 1000 + 1000) * 800 + 11 * 8))
        #expect(e.workers == 3)  // min(jobs, chains)
        // Writing: the whole cell (33 values) as the summary block and as text.
        #expect(e.shared == Double(8 * 33 + 56 * 33 + (80 + 2 * 24) * 3))
        #expect(e.bytes == 3 * e.perChain + e.shared)
        // Ten more generations: ten more n-point outputs in the pool.
        let longer = try estimate(Self.base + "policy: { kind: accumulate }\n", jobs: 8)
        let twice = try estimate(Self.base.replacingOccurrences(of: "generations: 10", with: "generations: 20")
                                 + "policy: { kind: accumulate }\n", jobs: 8)
        #expect(twice.perChain - longer.perChain == Double(10 * 1000 * 800 + 10 * 8))
    }

    @Test func replaceHoldsOneTrainingSetAndOneBatch() throws {
        let e = try estimate(Self.base + "policy: { kind: replace }\n", jobs: 1)
        #expect(e.perChain == Double((1000 + 1000) * 800 + 11 * 8))
        #expect(e.workers == 1)
    }

    /// accumulate_subsample trains on n points but keeps the pool of R₀ and every output.
    @Test func accumulateSubsampleCountsItsPool() throws {
        let e = try estimate(Self.base + "policy: { kind: accumulate_subsample }\n", jobs: 1)
        #expect(e.perChain == Double((1000 + (1000 + 10 * 1000) + 1000) * 800 + 11 * 8))
    }

    /// mix with fixed real data keeps R₀'s points for the whole chain.
    @Test func mixFixedCountsR0() throws {
        let e = try estimate(Self.base + "policy: { kind: mix, real_fraction: 0.5, real_source: fixed }\n", jobs: 1)
        #expect(e.perChain == Double((1000 + 1000 + 1000) * 800 + 11 * 8))
    }

    @Test func statisticsCountNoPoints() throws {
        let yaml = Self.base.replacingOccurrences(of: "sampler: samples", with: "sampler: statistics")
        let e = try estimate(yaml + "policy: { kind: accumulate }\n", jobs: 1)
        #expect(e.perChain == Double(11 * 8))
    }

    /// Points are the family's: an Int32 category, or d inputs and a label.
    @Test func bytesPerPointAreTheFamilys() throws {
        let categorical = try estimate("replicates: 1\ngenerations: 0\nsamples: 1000\nmodel: { family: categorical }\nreal: { distribution: uniform, categories: 5 }\nmetrics: [entropy]\nsampler: samples\n", jobs: 1)
        #expect(categorical.perChain == Double(1000 * 4 + 8))  // G = 0: no output batch is drawn
        let regression = try estimate("replicates: 1\ngenerations: 0\nsamples: 1000\nmodel: { family: linear_regression }\nreal: { distribution: linear, dimension: 3 }\nmetrics: [test_error]\nsampler: samples\n", jobs: 1)
        #expect(regression.perChain == Double(1000 * 8 * 4 + 8))
    }

    /// A held-out sample counts when a requested metric needs it.
    @Test func heldoutCountsOnlyWhenAMetricNeedsIt() throws {
        let kde = "replicates: 1\ngenerations: 0\nsamples: 100\nheldout: 500\nmodel: { family: kde }\n"
        let with = try estimate(kde + "metrics: [nll_heldout]\n", jobs: 1)
        let without = try estimate(kde + "metrics: [variance]\n", jobs: 1)
        #expect(with.perChain - without.perChain == Double(500 * 8))
    }

    @Test func describeUsesPowersOf1000() {
        #expect(MemoryEstimate.describe(512) == "512 bytes")
        #expect(MemoryEstimate.describe(8.4e9) == "8.40 GB")
        #expect(MemoryEstimate.describe(25.3e9) == "25.3 GB")
        #expect(MemoryEstimate.describe(8e12) == "8.00 TB")
    }

    /// The reference experiments fit a small machine (4 GB) on 8 workers, so the check
    /// never refuses them.
    @Test func everyShippedExperimentFitsInFourGigabytes() throws {
        let dir = ConfigTests.experiments
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".yaml") {
            let path = dir.appendingPathComponent(file).path
            guard let experiment = try? ConfigLoader.parseExperiment(
                text: ConfigLoader.readFile(path), source: path, overrides: [],
                baseDirectory: ConfigLoader.directory(of: path)) else { continue }  // missing data: see ConfigTests
            let e = MemoryEstimate(experiment: experiment, jobs: 8)
            #expect(e.bytes < 4e9, "\(file): \(MemoryEstimate.describe(e.bytes))")
        }
    }
}
