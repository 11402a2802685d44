import Foundation
import Testing
@testable import CollapseKit

/// The categorical family against closed forms (fixed seeds, |mean − theory| < 4·SE),
/// its absorbing states, the exact sampling bias and metrics, and its config errors.
///
/// Under `replace` with α = 0 and T = 1 the chain is the neutral Wright–Fisher model:
/// the counts of generation t are Multinomial(n, p̂_{t−1}), p̂_{−1} = p.
struct CategoricalTests {
    static let fivePoint = "{ distribution: categorical, probabilities: [0.4, 0.3, 0.15, 0.1, 0.05] }"

    static func yaml(real: String, samples: Int, generations: Int, replicates: Int,
                     policy: String = "replace", extra: String = "") -> String {
        """
        seed: 11
        replicates: \(replicates)
        generations: \(generations)
        samples: \(samples)
        model: { family: categorical }
        real: \(real)
        policy: { kind: \(policy) }
        \(extra)
        """
    }

    /// Metric values of one chain, generation by generation.
    static func series(_ cell: CellResult, chain: ChainResult, _ metric: MetricName) -> [Double] {
        let m = cell.metrics.count, k = cell.metrics.firstIndex(of: metric)!
        return (0..<chain.generationCount(metricCount: m)).map { chain.values[$0 * m + k] }
    }

    // MARK: - Closed forms

    /// Wright–Fisher heterozygosity decay (Wright 1931, "Evolution in Mendelian
    /// populations", Genetics 16; Ewens, "Mathematical Population Genetics" (2004),
    /// eq. 1.47 for the haploid model): one multinomial draw of size n multiplies
    /// E[1 − Σ p̂²] by (1 − 1/n), so E[H_t] = (1 − 1/n)^(t+1) (1 − Σ_k p_k²)
    /// (generation 0 is already one draw from p).
    @Test func heterozygosityDecaysAsWrightFisher() throws {
        let cell = try TestRun.run(Self.yaml(real: Self.fivePoint, samples: 20, generations: 30, replicates: 3000,
                                             extra: "metrics: [heterozygosity]"))
        let h = 1 - [0.4, 0.3, 0.15, 0.1, 0.05].reduce(0) { $0 + $1 * $1 }
        for t in [0, 1, 5, 15, 30] {
            let mc = MonteCarlo(TestRun.values(cell, .heterozygosity, generation: t))
            let theory = pow(19.0 / 20, Double(t + 1)) * h
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
        // And the decay is real: 0.715 → 0.146 at t = 30.
        #expect(MonteCarlo(TestRun.values(cell, .heterozygosity, generation: 30)).mean < 0.3)
    }

    /// A category with real probability p_k is missing from n i.i.d. draws with
    /// probability (1 − p_k)^n, so E[lost_mass_0] = Σ_k p_k (1 − p_k)^n and
    /// E[support_size_0] = Σ_k 1 − (1 − p_k)^n (the occupancy problem; Feller, "An
    /// Introduction to Probability Theory", vol. 1, ch. II.11; Shumailov et al. 2024's
    /// finite-sampling error). Zipf real data, K = 50, n = 100.
    @Test func generationZeroLosesTheUnsampledTail() throws {
        let yaml = Self.yaml(real: "{ distribution: zipf, categories: 50, exponent: 1.1 }", samples: 100,
                             generations: 0, replicates: 4000, extra: "metrics: [lost_mass, support_size]")
        let p = try TestRun.config(yaml).real.probabilities!
        let cell = try TestRun.run(yaml)
        let missing = p.map { pow(1 - $0, 100) }
        let lost = MonteCarlo(TestRun.values(cell, .lostMass, generation: 0))
        let expectedLost = zip(p, missing).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(lost.agrees(with: expectedLost), "\(lost.mean) ± \(lost.standardError) vs \(expectedLost)")
        let support = MonteCarlo(TestRun.values(cell, .supportSize, generation: 0))
        let expectedSupport = missing.reduce(0) { $0 + 1 - $1 }
        #expect(support.agrees(with: expectedSupport), "\(support.mean) ± \(support.standardError) vs \(expectedSupport)")
        #expect(expectedLost > 0.02 && expectedSupport < 45)  // the tail really is cut
    }

    /// Fitted frequencies p̂_t(k), generation by generation, of `replicates` chains run
    /// directly on the family (the metrics do not expose p̂).
    static func fittedFrequencies(_ family: CategoricalFamily, samples n: Int, generations: Int,
                                  replicates: Int) -> [[[Double]]] {
        (0..<replicates).map { r in
            let stream = RandomStream(key: StreamKey(seed: 23, cell: 0, replicate: UInt64(r)))
            var data = family.drawReal(n, truth: nil, stream: stream)
            var out: [[Double]] = []
            for _ in 0...generations {
                let model = family.fit(data)
                out.append(model.probabilities)
                data = family.sample(model, count: n, truth: nil, stream: stream)
            }
            return out
        }
    }

    /// Neutral drift is a martingale: E[p̂_t(k) | p̂_{t−1}] = p̂_{t−1}(k), so
    /// E[p̂_t(k)] = p_k for every t (Wright–Fisher; Ewens 2004, §1.2). With smoothing
    /// α, E[p̂_{t}] = (n E[p̂_{t−1}] + α)/(n + Kα), whose solution is
    /// E[p̂_t(k)] = 1/K + (p_k − 1/K) (n/(n + Kα))^(t+1): smoothing pulls every
    /// category towards uniform geometrically (derived here from the fit's definition).
    @Test(arguments: [0.0, 1.0])
    func fittedFrequenciesFollowTheirExpectation(alpha: Double) {
        let p = [0.5, 0.3, 0.15, 0.05], n = 10, K = 4.0
        let family = CategoricalFamily(probabilities: p, smoothing: alpha, temperature: 1, topK: 0, topP: 1)
        let chains = Self.fittedFrequencies(family, samples: n, generations: 20, replicates: 4000)
        let ratio = Double(n) / (Double(n) + K * alpha)
        for t in [0, 5, 20] {
            for k in p.indices {
                let mc = MonteCarlo(chains.map { $0[t][k] })
                let theory = 1 / K + (p[k] - 1 / K) * pow(ratio, Double(t + 1))
                #expect(mc.agrees(with: theory), "α=\(alpha) t=\(t) k=\(k): \(mc.mean) ± \(mc.standardError) vs \(theory)")
            }
        }
    }

    // MARK: - Absorbing states

    /// Under `replace` with α = 0 a lost category never returns (Shumailov et al.
    /// 2024): support_size never rises and lost_mass never falls, in every chain; the
    /// support_collapsed event is recorded exactly at the first generation with one
    /// category left.
    @Test func lostCategoriesNeverReturnUnderReplace() throws {
        let cell = try TestRun.run(Self.yaml(real: "{ distribution: zipf, categories: 30, exponent: 1 }", samples: 30,
                                             generations: 40, replicates: 300,
                                             extra: "metrics: [lost_mass, support_size]"))
        for chain in cell.chains {
            let support = Self.series(cell, chain: chain, .supportSize)
            let lost = Self.series(cell, chain: chain, .lostMass)
            #expect(support.count == 41)
            for t in 1..<support.count {
                #expect(support[t] <= support[t - 1] && lost[t] >= lost[t - 1], "replicate \(chain.replicate), t=\(t)")
            }
            let fixation = support.firstIndex(of: 1)
            let events = chain.events.filter { $0.kind == .supportCollapsed }.map(\.generation)
            #expect(events == (fixation.map { [$0] } ?? []), "replicate \(chain.replicate)")
        }
        let start = MonteCarlo(TestRun.values(cell, .supportSize, generation: 0)).mean
        let end = MonteCarlo(TestRun.values(cell, .supportSize, generation: 40)).mean
        #expect(end < start / 2, "support \(start) → \(end)")
        #expect(cell.chains.contains { !$0.events.isEmpty })  // some chains do fix
    }

    /// Under `accumulate` R₀ stays in every training set and the model only
    /// generates categories it has seen, so the support is generation 0's forever
    /// (Gerstgrasser et al. 2024's accumulation, in the discrete case).
    @Test func accumulateKeepsGenerationZerosSupport() throws {
        let cell = try TestRun.run(Self.yaml(real: "{ distribution: zipf, categories: 30, exponent: 1 }", samples: 30,
                                             generations: 20, replicates: 100, policy: "accumulate",
                                             extra: "metrics: [lost_mass, support_size]"))
        for chain in cell.chains {
            let support = Self.series(cell, chain: chain, .supportSize)
            let lost = Self.series(cell, chain: chain, .lostMass)
            #expect(support.count == 21 && support.allSatisfy { $0 == support[0] } && lost.allSatisfy { $0 == lost[0] },
                    "replicate \(chain.replicate): \(support)")
        }
        #expect(TestRun.values(cell, .supportSize, generation: 0).contains { $0 < 30 })  // R₀ did lose categories
    }

    /// Smoothing α > 0 gives every category positive mass: nothing is ever lost.
    @Test func smoothingKeepsEveryCategory() throws {
        let cell = try TestRun.run(Self.yaml(real: "{ distribution: zipf, categories: 20, exponent: 1.5 }", samples: 10,
                                             generations: 10, replicates: 50), overrides: ["model.smoothing=0.5"])
        for t in [0, 5, 10] {
            #expect(TestRun.values(cell, .supportSize, generation: t).allSatisfy { $0 == 20 })
            #expect(TestRun.values(cell, .lostMass, generation: t).allSatisfy { $0 == 0 })
            #expect(TestRun.values(cell, .kl, generation: t).allSatisfy { $0.isFinite && $0 > 0 })
        }
        #expect(cell.chains.allSatisfy { $0.events.isEmpty })
    }

    /// top_k = 1 (or a tiny top_p) generates only the mode, so from generation 1 on
    /// every chain is fixed on one category, with its event at generation 1.
    @Test(arguments: ["sampling: { top_k: 1 }", "sampling: { top_p: 0.01 }"])
    func greedyTruncationFixesAtGenerationOne(sampling: String) throws {
        let cell = try TestRun.run(Self.yaml(real: Self.fivePoint, samples: 50, generations: 3, replicates: 20,
                                             extra: sampling + "\nmetrics: [support_size]"))
        #expect(TestRun.values(cell, .supportSize, generation: 0).allSatisfy { $0 > 1 })
        for t in 1...3 { #expect(TestRun.values(cell, .supportSize, generation: t).allSatisfy { $0 == 1 }) }
        for chain in cell.chains {
            #expect(chain.events == [ChainEvent(kind: .supportCollapsed, replicate: chain.replicate, generation: 1)])
        }
    }

    /// Each chain draws only from its own stream: the same values for 1 and 2 workers.
    @Test func resultsDoNotDependOnWorkers() throws {
        let yaml = Self.yaml(real: Self.fivePoint, samples: 20, generations: 10, replicates: 8,
                             extra: "sampling: { temperature: 0.7, top_p: 0.9 }")
        let one = try TestRun.run(yaml, jobs: 1), two = try TestRun.run(yaml, jobs: 2)
        #expect(one.chains.map(\.values) == two.chains.map(\.values))
    }

    // MARK: - Sampling bias (exact)

    static func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 }
    }

    /// Hand-computed on p = (0.1, 0.2, 0.3, 0.4, 0).
    @Test func samplingBiasIsExact() {
        let p = [0.1, 0.2, 0.3, 0.4, 0]
        func q(_ t: Double = 1, k: Int = 0, top: Double = 1) -> [Double] {
            CategoricalSamplingBias(temperature: t, topK: k, topP: top).apply(p)
        }
        #expect(q() == p)
        // T = 1/2: q ∝ p² = (1, 4, 9, 16, 0)/100.
        let squares: [Double] = [1, 4, 9, 16, 0]
        #expect(Self.close(q(0.5), squares.map { $0 / 30 }), "\(q(0.5))")
        // T = 2: q ∝ √p; a zero stays exactly zero.
        let roots = p.map { $0.squareRoot() }, s = roots.reduce(0, +)
        #expect(Self.close(q(2), roots.map { $0 / s }) && q(2)[4] == 0 && q(1e-3)[4] == 0)
        // T → 0 is greedy: the others' mass (p_k/p_max)^(1/T) vanishes ((3/4)^1000 ≈ 1e-125).
        #expect(q(1e-3)[3] == 1 && q(1e-3)[2] < 1e-120)
        // top_k = 2 keeps 0.4 and 0.3.
        #expect(Self.close(q(k: 2), [0, 0, 3.0 / 7, 4.0 / 7, 0]))
        #expect(q(k: 4) == p && q(k: 10) == p)  // 4 categories of positive mass: nothing to cut
        // top_p: 0.4 < 0.5 ≤ 0.4 + 0.3, so 0.5 and 0.7 (reached exactly) keep two; 0.75 keeps three.
        #expect(Self.close(q(top: 0.5), [0, 0, 3.0 / 7, 4.0 / 7, 0]))
        #expect(Self.close(q(top: 0.7), [0, 0, 3.0 / 7, 4.0 / 7, 0]))
        #expect(Self.close(q(top: 0.75), [0, 2.0 / 9, 3.0 / 9, 4.0 / 9, 0]))
        #expect(Self.close(q(top: 0.3), [0, 0, 0, 1, 0]))
        // Order T, then top_k, then top_p: (1, 4, 9, 16)/30 → top_k 3: (4, 9, 16)/29 →
        // top_p 0.8: 16/29 ≈ 0.55 < 0.8 ≤ 25/29, keeps (9, 16)/25.
        #expect(Self.close(q(0.5, k: 3, top: 0.8), [0, 0, 9.0 / 25, 16.0 / 25, 0]))
        // Ties: the lower index first.
        let flat = CategoricalSamplingBias(topK: 2).apply([0.25, 0.25, 0.25, 0.25])
        #expect(flat == [0.5, 0.5, 0, 0])
        let third: Double = 1.0 / 3
        #expect(CategoricalSamplingBias(topP: 0.6).apply([0.25, 0.25, 0.25, 0.25]) == [third, third, third, 0])
    }

    /// The alias table draws each category with its probability (binomial counts
    /// within 4·SE) and never a category of weight zero.
    @Test func aliasTableDrawsItsWeights() throws {
        let weights = [1.0, 4, 0, 9, 16]  // unnormalised, total 30
        let table = try #require(WalkerAliasTable(weights: weights))
        #expect(table.support == [0, 1, 3, 4])
        let n = 200_000
        let counts = CategorySample(categories: table.draw(n, stream: RandomStream(key: StreamKey(seed: 3, cell: 0, replicate: 0))))
            .counts(categories: 5)
        #expect(counts[2] == 0)
        for k in weights.indices where weights[k] > 0 {
            let p = weights[k] / 30, se = (p * (1 - p) / Double(n)).squareRoot()
            #expect(abs(Double(counts[k]) / Double(n) - p) < 4 * se, "k=\(k): \(counts[k])")
        }
        let single = try #require(WalkerAliasTable(weights: [0, 0, 2]))
        #expect(single.draw(5, stream: RandomStream(key: StreamKey(seed: 3, cell: 0, replicate: 1))) == [2, 2, 2, 2, 2])
        #expect(WalkerAliasTable(weights: [0, 0]) == nil && WalkerAliasTable(weights: [1, -1]) == nil)
        #expect(WalkerAliasTable(weights: [1, .nan]) == nil)
    }

    // MARK: - Metrics (exact)

    static func measure(_ model: [Double], real: [Double]) -> MetricValues {
        let family = CategoricalFamily(probabilities: real, smoothing: 0, temperature: 1, topK: 0, topP: 1)
        return evaluate(CategoricalMetrics.all, family: family,
                        model: CategoricalFamily.Model(probabilities: model, supportSize: model.filter { $0 > 0 }.count),
                        truth: nil)
    }

    /// At p̂ = p: every category kept, nothing lost, tv = kl = 0, and the tail set
    /// (fractional boundary) holds exactly 10% of the model's mass, so
    /// tail_mass_retained = 1. Zipf K = 1000, exponent 1.1.
    @Test func metricsAtTheTruth() throws {
        let p = try #require(RealDataConfig.zipf(categories: 1000, exponent: 1.1).probabilities)
        let v = Self.measure(p, real: p)
        #expect(v[.supportSize] == 1000 && v[.lostMass] == 0 && v[.tv] == 0 && v[.kl] == 0)
        #expect(abs(v[.tailMassRetained] - 1) < 1e-12, "\(v[.tailMassRetained])")
        #expect(abs(v[.entropy] + p.reduce(0) { $0 + $1 * Foundation.log($1) }) < 1e-12)
        #expect(abs(v[.heterozygosity] - (1 - p.reduce(0) { $0 + $1 * $1 })) < 1e-12)
        // The tail set: the rarest categories (highest indices) in ascending order.
        let reference = CategoricalReference(probabilities: p)
        #expect(reference.tailCategories.first == 999 && reference.tailWeights.dropLast().allSatisfy { $0 == 1 })
        #expect(abs(zip(reference.tailCategories, reference.tailWeights).reduce(0) { $0 + $1.1 * p[$1.0] } - 0.1) < 1e-15)
    }

    /// Hand-computed: real p = (0.05, 0.03, 0.5, 0.42), model p̂ = (0.1, 0, 0.5, 0.4).
    /// Tail set: category 1 (0.03) and 0 (0.05) in full, then 0.02/0.42 of category 3;
    /// model tail mass 0 + 0.1 + (0.02/0.42)·0.4. Category 1 is lost: lost_mass 0.03,
    /// kl = +∞.
    @Test func metricsOfALossyModel() {
        let v = Self.measure([0.1, 0, 0.5, 0.4], real: [0.05, 0.03, 0.5, 0.42])
        #expect(v[.supportSize] == 3 && v[.lostMass] == 0.03 && v[.kl] == .infinity)
        #expect(abs(v[.tailMassRetained] - (0.1 + 0.02 / 0.42 * 0.4) / 0.1) < 1e-12, "\(v[.tailMassRetained])")
        #expect(abs(v[.tv] - 0.05) < 1e-15)
        #expect(abs(v[.heterozygosity] - 0.58) < 1e-15)
        #expect(abs(v[.entropy] + 0.1 * log(0.1) + 0.5 * log(0.5) + 0.4 * log(0.4)) < 1e-15)
        // A model of full support has finite KL: Σ p log(p/p̂).
        let kl = Self.measure([0.25, 0.25, 0.25, 0.25], real: [0.1, 0.2, 0.3, 0.4])[.kl]
        let expected = [0.1, 0.2, 0.3, 0.4].reduce(0) { $0 + $1 * log($1 / 0.25) }
        #expect(abs(kl - expected) < 1e-15)
    }

    /// Ties in real probability: the higher index is rarer. Uniform K = 20 (0.05 each):
    /// the tail set is categories 19 and 18.
    @Test func tailSetBreaksTiesTowardsHigherIndices() {
        let reference = CategoricalReference(probabilities: [Double](repeating: 0.05, count: 20))
        #expect(reference.tailCategories == [19, 18])
        var model = [Double](repeating: 0, count: 20)
        model[19] = 0.3; model[0] = 0.7
        let v = Self.measure(model, real: [Double](repeating: 0.05, count: 20))
        #expect(abs(v[.tailMassRetained] - 3) < 1e-12 && v[.supportSize] == 2 && abs(v[.lostMass] - 0.9) < 1e-12)
    }

    // MARK: - Config

    func errors(_ yaml: String) -> [String] { TestRun.configErrors(yaml) }

    static let categorical = "model: { family: categorical }\nreal: { distribution: zipf, categories: 100 }\n"

    @Test(arguments: [
        (categorical + "sampling: { top_p: 0 }", "sampling.top_p: got 0; allowed: a number in (0, 1]"),
        (categorical + "sampling: { top_p: 1.5 }", "sampling.top_p: got 1.5; allowed: a number in (0, 1]"),
        (categorical + "sampling: { top_k: -1 }",
         "sampling.top_k: got -1; allowed: an integer in 0 … 2147483647 (0 keeps every category)"),
        ("model: { family: categorical, smoothing: -1 }\nreal: { distribution: uniform, categories: 3 }",
         "model.smoothing: got -1; allowed: a number ≥ 0 (additive smoothing α)"),
        ("sampling: { top_p: 0.9 }",
         "sampling.top_p: got a value with model.family gaussian; allowed: top_p only with model.family categorical or ngram"),
        ("real: { distribution: zipf, categories: 100 }",
         "real.distribution: got 'zipf' with model.family gaussian; allowed: one of normal, student_t, mixture, table for model.family gaussian"),
        ("model: { family: categorical }",
         "real.distribution: got 'normal' with model.family categorical; allowed: one of uniform, zipf, categorical, table, text for model.family categorical"),
        ("model: { family: categorical, estimator: mle }\nreal: { distribution: uniform, categories: 3 }",
         "model.estimator: got a value with model.family categorical; allowed: estimator only with model.family gaussian"),
        ("model: { family: categorical }\nreal: { distribution: zipf, categories: 1 }",
         "real.categories: got 1; allowed: an integer in 2 … 100000000"),
        ("model: { family: categorical }\nreal: { distribution: zipf, categories: 10, exponent: -1 }",
         "real.exponent: got -1; allowed: a number ≥ 0 (p_k ∝ k^(−exponent))"),
        ("model: { family: categorical }\nreal: { distribution: categorical, probabilities: [0.5, 0.6] }",
         "real.probabilities: got 2 probabilities summing to 1.1; allowed: a list of at least 2 numbers > 0 summing to 1"),
        ("model: { family: categorical }\nreal: { distribution: categorical, probabilities: [1, 0] }",
         "real.probabilities[1]: got 0; allowed: a list of at least 2 numbers > 0 summing to 1"),
        (categorical + "metrics: [variance]",
         "metrics[0]: got 'variance'; allowed: a list of metric names from: authenticity, curated_fraction, dcr_baseline_protection, dcr_overfitting_protection, entropy, epsilon_spent, heterozygosity, kl, lost_mass, mia_advantage, mia_auc, mia_epsilon_lower, mia_tpr_at_low_fpr, review_cost, rule_violation_rate, support_size, tail_mass_retained, tv"),
    ])
    func badOptionsAreNamed(_ yaml: String, expected: String) {
        let found = errors(yaml)
        #expect(found.contains(expected), "\(found)")
    }

    /// The defaults, and the resolved config reading back to itself.
    @Test func defaultsAndRoundTrip() throws {
        let c = try ConfigLoader.parse(text: Self.categorical)
        #expect(c.model == .categorical(smoothing: 0) && c.sampling == SamplingConfig(temperature: 1, topK: 0, topP: 1))
        #expect(c.metrics == [.entropy, .heterozygosity, .kl, .lostMass, .supportSize, .tailMassRetained, .tv])
        let biased = try ConfigLoader.parse(text: Self.categorical + "sampling: { temperature: 0.5, top_k: 5, top_p: 0.9 }")
        #expect(try ConfigLoader.parse(text: biased.jsonValue.yamlText()) == biased)
    }
}
