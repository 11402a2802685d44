import Foundation
import Testing
@testable import CollapseKit

/// The n-gram family against its definitions (fixed seeds; tolerances from the Monte
/// Carlo standard error or exact arithmetic), its three sampling paths against each
/// other, the text metrics against independent computations, and its config errors.
struct NGramTests {
    /// The toy corpus of `scripts/ngram-kn-reference.py` (tokens a = 0, b = 1, c = 2).
    static let toy: [[Int32]] = [[0, 1, 2], [0, 1], [1, 2, 0], [2], [0, 1, 1, 2]]

    static func stream(_ seed: UInt64) -> RandomStream { RandomStream(key: StreamKey(seed: seed, cell: 0, replicate: 0)) }

    /// The context after `history` from a document's start.
    static func context(_ model: NGramModel, _ history: [Int32]) -> NGramModel.Context {
        var c = model.startContext()
        for w in history { model.advance(&c, with: w) }
        return c
    }

    // MARK: - Kneser–Ney against exact values

    /// Interpolated Kneser–Ney, D = 3/4, order 3 (Chen & Goodman 1998, eq. 17; lower
    /// orders by continuation counts; the recursion ends at the uniform distribution over
    /// a, b, c, ⟨/s⟩). The expected values are the exact fractions printed by
    /// `scripts/ngram-kn-reference.py`, an independent rational implementation. By hand
    /// for the first row: after ⟨s⟩⟨s⟩ the documents start a, a, b, c, a (c = 3, 1, 1, 0;
    /// total 5, 3 distinct, γ = 0.75·3/5 = 0.45); p₂(· | ⟨s⟩) has continuation counts
    /// 1, 1, 1, 0 (γ₂ = 0.75), and p₁ continuation counts over the bigram types
    /// (a: ⟨s⟩a, ca → 2; b: ⟨s⟩b, ab, bb → 3; c: ⟨s⟩c, bc → 2; ⟨/s⟩: c⟨/s⟩, b⟨/s⟩, a⟨/s⟩ → 3;
    /// total 10, γ₁ = 0.3), so p(a | ⟨s⟩⟨s⟩) = 2.25/5 + 0.45·(0.25/3 + 0.75·(1.25/10 + 0.3/4))
    /// = 0.555 = 111/200.
    @Test func kneserNeyMatchesExactValues() {
        let model = NGramModel(fitting: DocumentSample(documents: Self.toy), order: 3, vocabularySize: 3,
                               smoothing: .kneserNey(0.75))
        let cases: [([Int32], [Double])] = [
            ([], [111.0 / 200, 151.0 / 800, 31.0 / 200, 81.0 / 800]),
            ([0], [3.0 / 80, 67.0 / 80, 3.0 / 80, 7.0 / 80]),
            ([0, 1], [27.0 / 400, 533.0 / 2400, 293.0 / 600, 533.0 / 2400]),
            ([1, 2], [7.0 / 40, 3.0 / 40, 1.0 / 20, 7.0 / 10]),
            ([2, 2], [11.0 / 60, 3.0 / 20, 1.0 / 10, 17.0 / 30]),   // c c never seen: backs off
            ([1, 1], [27.0 / 400, 111.0 / 800, 131.0 / 200, 111.0 / 800]),
            ([2, 0], [9.0 / 80, 21.0 / 80, 9.0 / 80, 41.0 / 80]),
        ]
        for (history, expected) in cases {
            let c = Self.context(model, history)
            let dense = model.distribution(c)
            for w in 0..<4 {
                let p = model.probability(Int32(w), c)
                #expect(abs(p - expected[w]) < 1e-12, "p(\(w) | \(history)) = \(p), expected \(expected[w])")
                #expect(abs(dense[w] - expected[w]) < 1e-12, "distribution(\(history))[\(w)] = \(dense[w])")
            }
        }
    }

    /// Every smoothing and order gives a distribution over the |V| predicted tokens at
    /// every context a random corpus reaches (and at contexts it never saw).
    @Test(arguments: [NGramSmoothing.kneserNey(0.75), .kneserNey(1), .addAlpha(0.5), .none])
    func distributionsSumToOne(_ smoothing: NGramSmoothing) {
        let corpus = Self.randomCorpus(documents: 60, vocabulary: 12, seed: 3)
        for order in 1...5 {
            let model = NGramModel(fitting: corpus, order: order, vocabularySize: 12, smoothing: smoothing)
            for d in 0..<10 {
                var c = model.startContext()
                for w in corpus.document(d) + [5, 5, 5] {
                    let p = model.distribution(c)
                    let total = p.reduce(0, +)
                    if smoothing == .none && total == 0 { break }  // an unseen context has no distribution
                    #expect(abs(total - 1) < 1e-12, "order \(order), \(smoothing): Σp = \(total)")
                    #expect(abs(model.probability(w, c) - p[Int(w)]) < 1e-13)
                    model.advance(&c, with: w)
                }
            }
        }
    }

    // MARK: - Maximum likelihood recovers a bigram chain

    /// The true chain: rows ⟨s⟩, a, b, c; columns a, b, c, ⟨/s⟩.
    static let transitions: [[Double]] = [[0.5, 0.3, 0.2, 0], [0.1, 0.5, 0.2, 0.2], [0.3, 0.1, 0.3, 0.3],
                                          [0.4, 0.3, 0.1, 0.2]]

    /// `smoothing: none`, order 2, on 4000 documents drawn from a known bigram Markov
    /// chain: p̂(w | v) is the empirical transition frequency c(v w)/c(v •) exactly, and
    /// within 4 binomial standard errors √(P(1 − P)/c(v •)) of the true P(w | v) (a
    /// transition of probability 0 is never estimated above 0).
    @Test func maximumLikelihoodRecoversBigramTransitions() {
        let stream = Self.stream(21)
        var documents: [[Int32]] = []
        var counts = [[Int]](repeating: [0, 0, 0, 0], count: 4)
        for _ in 0..<4000 {
            var doc: [Int32] = [], state = 0
            while true {
                let u = stream.uniform()
                var w = 0, s = Self.transitions[state][0]
                while u >= s && w < 3 { w += 1; s += Self.transitions[state][w] }
                counts[state][w] += 1
                if w == 3 { break }
                doc.append(Int32(w))
                state = w + 1
            }
            documents.append(doc)
        }
        let model = NGramModel(fitting: DocumentSample(documents: documents), order: 2, vocabularySize: 3,
                               smoothing: .none)
        for state in 0..<4 {
            let c = state == 0 ? model.startContext() : Self.context(model, [Int32(state - 1)])
            let n = Double(counts[state].reduce(0, +))
            for w in 0..<4 {
                let p = model.probability(Int32(w), c), truth = Self.transitions[state][w]
                #expect(abs(p - Double(counts[state][w]) / n) < 1e-15)
                if truth == 0 {
                    #expect(p == 0)
                } else {
                    let se = (truth * (1 - truth) / n).squareRoot()
                    #expect(abs(p - truth) < 4 * se, "p(\(w) | \(state)) = \(p), true \(truth) ± \(se)")
                }
            }
        }
    }

    // MARK: - Perplexity

    /// A unigram add-α model, p(w) = (c_w + α)/(N + α|V|) with c counting every training
    /// event (tokens and one end token per document, N their number), has held-out
    /// perplexity exp(−Σ_w h_w log p(w) / H), h_w the held-out event counts and H their
    /// total (Chen & Goodman 1998, §2.1; the end token predicted once per document).
    @Test func unigramAddAlphaPerplexityMatchesItsClosedForm() {
        let training = Self.randomCorpus(documents: 80, vocabulary: 20, seed: 5)
        let heldout = Self.randomCorpus(documents: 30, vocabulary: 20, seed: 6)
        let alpha = 0.5
        let model = NGramModel(fitting: training, order: 1, vocabularySize: 20, smoothing: .addAlpha(alpha))
        func eventCounts(_ data: DocumentSample) -> [Double] {
            var c = [Double](repeating: 0, count: 21)
            for t in data.tokens { c[Int(t)] += 1 }
            c[20] = Double(data.count)
            return c
        }
        let c = eventCounts(training), h = eventCounts(heldout)
        let n = c.reduce(0, +), total = h.reduce(0, +)
        var nll = 0.0
        for w in 0..<21 { nll -= h[w] * log((c[w] + alpha) / (n + alpha * 21)) }
        let expected = exp(nll / total)
        let measured = model.perplexity(of: heldout)
        #expect(abs(measured - expected) < 1e-12 * expected, "\(measured) vs \(expected)")
    }

    /// With `smoothing: none` a held-out event the training set never saw has
    /// probability 0: perplexity is +∞, recorded, not a crash; on the training set itself
    /// it is finite.
    @Test func perplexityWithoutSmoothingIsInfiniteOnUnseenEvents() {
        let model = NGramModel(fitting: DocumentSample(documents: Self.toy), order: 2, vocabularySize: 3, smoothing: .none)
        #expect(model.perplexity(of: DocumentSample(documents: [[2, 2]])) == .infinity)
        let own = model.perplexity(of: DocumentSample(documents: Self.toy))
        #expect(own.isFinite && own > 1)
    }

    // MARK: - Sampling

    /// The unbiased sampler (a mixture over the orders) draws from ``NGramModel/distribution(_:)``:
    /// Pearson's χ² of 100,000 draws at each of three contexts stays below the 0.001
    /// critical value of its degrees of freedom (fixed seed).
    @Test(arguments: [NGramSmoothing.kneserNey(0.75), .addAlpha(0.5), .none])
    func unbiasedSamplerDrawsTheModelsDistribution(_ smoothing: NGramSmoothing) {
        let model = NGramModel(fitting: DocumentSample(documents: Self.toy), order: 3, vocabularySize: 3, smoothing: smoothing)
        var sampler = NGramSampler(model: model, bias: CategoricalSamplingBias(), maxLength: 200)
        let stream = Self.stream(8)
        // χ² 0.999 quantiles for 1…3 degrees of freedom.
        let critical = [10.828, 13.816, 16.266]
        for history: [Int32] in [[], [0, 1], [2, 0]] {
            let c = Self.context(model, history)
            let p = model.distribution(c)
            let (chi2, cells, counts) = Self.pearson(p, draws: 100_000) { sampler.next(c, stream: stream) }
            // (One token of positive probability: every draw is it, checked above.)
            if cells >= 2 {
                #expect(chi2 < critical[cells - 2], "\(smoothing) after \(history): χ² = \(chi2), \(counts) vs \(p)")
            }
        }
    }

    /// The temperature path (followers exactly, the rest by rejection from the tempered
    /// base) draws from the categorical bias applied to the dense vector, q ∝ p^(1/T):
    /// Pearson's χ² of 100,000 draws at four contexts of a 12-token corpus below the
    /// 0.001 critical value (Wilson–Hilferty for its degrees of freedom), at T = 0.6 and 1.5.
    @Test(arguments: [NGramSmoothing.kneserNey(0.75), .addAlpha(0.5), .none])
    func temperaturePathDrawsTheBiasedDistribution(_ smoothing: NGramSmoothing) {
        let corpus = Self.randomCorpus(documents: 60, vocabulary: 12, seed: 3)
        for temperature in [0.6, 1.5] {
            let bias = CategoricalSamplingBias(temperature: temperature)
            #expect(NGramSampler.usesTemperaturePath(bias: bias))
            let model = NGramModel(fitting: corpus, order: 3, vocabularySize: 12, smoothing: smoothing,
                                   temperature: temperature)
            var sampler = NGramSampler(model: model, bias: bias, maxLength: 50)
            let stream = Self.stream(31)
            for history: [Int32] in [[], [0], [0, 1], [3, 2]] {
                let c = Self.context(model, history)
                let q = bias.apply(model.distribution(c))
                guard q.contains(where: { $0 > 0 }) else { continue }
                let (chi2, cells, _) = Self.pearson(q, draws: 100_000) { sampler.next(c, stream: stream) }
                guard cells >= 2 else { continue }
                let df = Double(cells - 1), z = 3.090
                let critical = df * pow(1 - 2 / (9 * df) + z * (2 / (9 * df)).squareRoot(), 3)
                #expect(chi2 < critical, "\(smoothing), T = \(temperature), after \(history): χ² = \(chi2) > \(critical)")
            }
        }
    }

    /// Pearson's χ² of `draws` tokens from `draw` against the probabilities `p`, over
    /// the tokens of positive probability (their number is `cells`); a token of
    /// probability 0 must never be drawn.
    static func pearson(_ p: [Double], draws: Int, _ draw: () -> Int32) -> (chi2: Double, cells: Int, counts: [Double]) {
        var counts = [Double](repeating: 0, count: p.count)
        for _ in 0..<draws { counts[Int(draw())] += 1 }
        var chi2 = 0.0, cells = 0
        for w in p.indices {
            if p[w] == 0 {
                #expect(counts[w] == 0, "token \(w) of probability 0 drawn \(counts[w]) times")
                continue
            }
            let e = p[w] * Double(draws)
            chi2 += (counts[w] - e) * (counts[w] - e) / e
            cells += 1
        }
        return (chi2, cells, counts)
    }

    /// The sparse top_k path gives the same next-token distribution as the categorical
    /// family's bias applied to the dense vector, at every context of 20 generated
    /// documents, for top_k alone and with temperature and top_p after it.
    @Test(arguments: [NGramSmoothing.kneserNey(0.75), .addAlpha(0.1), .none])
    func sparseTopKEqualsTheDenseBias(_ smoothing: NGramSmoothing) {
        let corpus = Self.randomCorpus(documents: 200, vocabulary: 60, seed: 9)
        let model = NGramModel(fitting: corpus, order: 3, vocabularySize: 60, smoothing: smoothing, sparseTopK: true)
        for bias in [CategoricalSamplingBias(topK: 5), CategoricalSamplingBias(temperature: 0.7, topK: 8, topP: 0.8)] {
            #expect(NGramSampler.usesSparseTopK(bias: bias, predicted: 61))
            var sampler = NGramSampler(model: model, bias: bias, maxLength: 30)
            let docs = sampler.sample(60, stream: Self.stream(10))
            var checked = 0
            for d in 0..<docs.count {
                var c = model.startContext()
                for w in docs.document(d) {
                    let dense = bias.apply(model.distribution(c))
                    let (tokens, q) = sampler.topKDistribution(c)
                    let kept = dense.indices.filter { dense[$0] > 0 }
                    let sparse = tokens.indices.filter { q[$0] > 0 }
                    #expect(kept.map(Int32.init) == sparse.map { tokens[$0] }, "kept tokens differ")
                    for (i, j) in zip(kept, sparse) { #expect(abs(dense[i] - q[j]) < 1e-12) }
                    model.advance(&c, with: w)
                    checked += 1
                }
            }
            #expect(checked > 50)
        }
    }

    /// Generation stops at the end token or at max_length tokens.
    @Test func documentsStopAtTheEndOrMaxLength() {
        let model = NGramModel(fitting: DocumentSample(documents: [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]), order: 1,
                               vocabularySize: 2, smoothing: .none)
        var sampler = NGramSampler(model: model, bias: CategoricalSamplingBias(), maxLength: 5)
        let docs = sampler.sample(50, stream: Self.stream(2))
        // p(0) = 12/13, p(⟨/s⟩) = 1/13: lengths are Geometric, cut at 5.
        #expect((0..<50).allSatisfy { docs.length($0) <= 5 })
        #expect((0..<50).contains { docs.length($0) == 5 } && (0..<50).contains { docs.length($0) < 5 })
        #expect(docs.tokens.allSatisfy { $0 == 0 })
    }

    // MARK: - Documents

    @Test func documentSampleOperationsWorkOnDocuments() {
        var a = DocumentSample(documents: [[1, 2], [], [3]])
        let b = DocumentSample(documents: [[4, 5, 6]])
        #expect(a.count == 3 && a.length(1) == 0)
        #expect(a.rows([2, 0]) == DocumentSample(documents: [[3], [1, 2]]))
        #expect(a.prefix(2) == DocumentSample(documents: [[1, 2], []]))
        #expect(DocumentSample.concatenate([a, b]) == DocumentSample(documents: [[1, 2], [], [3], [4, 5, 6]]))
        a.append(b)
        #expect(a == DocumentSample(documents: [[1, 2], [], [3], [4, 5, 6]]))
        #expect(a.snapshotValues == [2, 0, 1, 3])
    }

    // MARK: - Text metrics against hand and numpy values

    /// batch: a b c b a | b c | d | a a a (V = 5: token e never occurs); R₀: a e | c;
    /// held-out: a b | e e a. Token counts 5, 3, 2, 1, 0 (11 tokens, 4 documents).
    /// - mean_length = 11/4;
    /// - distinct_2: bigrams ab bc cb ba | bc | – | aa aa: 5 distinct of 7;
    /// - zipf_exponent: numpy.polyfit(log [1, 2, 3, 4], log [5, 3, 2, 1], 1)[0] = −1.0877042246412811;
    /// - unigram_tv: ½ Σ |(5, 3, 2, 1, 0)/11 − (2, 1, 0, 0, 2)/5| = 0.4 (numpy: 0.39999999999999997);
    /// - vocabulary_retained: R₀'s types a, c, e; the batch has a and c: 2/3.
    @Test func textMetricsMatchIndependentValues() throws {
        let batch = DocumentSample(documents: [[0, 1, 2, 1, 0], [1, 2], [3], [0, 0, 0]])
        let r0 = DocumentSample(documents: [[0, 4], [2]])
        let heldout = DocumentSample(documents: [[0, 1], [4, 4, 0]])
        let text = try Self.textFamily(vocabularySize: 5)
        let model = text.fit(r0)
        var values = MetricValues()
        for m in TextMetrics.all {
            let context = MetricContext(family: text, truth: RowPool(rowCount: 0), model: model,
                                        batch: m.needs.contains(.batch) ? batch : nil,
                                        initialReal: m.needs.contains(.initialReal) ? r0 : nil,
                                        heldout: m.needs.contains(.heldout) ? heldout : nil)
            values[m.name] = m(context)
        }
        #expect(values[.meanLength] == 2.75)
        #expect(abs(values[.distinct2] - 5.0 / 7) < 1e-15)
        #expect(abs(values[.zipfExponent] - -1.0877042246412811) < 1e-12)
        #expect(abs(values[.unigramTV] - 0.4) < 1e-15)
        #expect(abs(values[.vocabularyRetained] - 2.0 / 3) < 1e-15)
        #expect(abs(values[.perplexityHeldout] - model.perplexity(of: heldout)) == 0)
        // Zipf over the top 1,000 of 1,500 types with counts 1500, 1499, …: numpy.polyfit
        // (log 1…1000, log 1500…501) gives −0.255853874110518.
        let counts = (1...1500).map { 1501 - $0 }
        #expect(abs(TextMetrics.zipfSlope(counts: counts) - -0.255853874110518) < 1e-12)
        // Undefined values are NaN, not a crash.
        #expect(TextMetrics.distinctBigrams(DocumentSample(documents: [[1], []])).isNaN)
        #expect(TextMetrics.zipfSlope(counts: [3, 0, 0]).isNaN)
    }

    // MARK: - Chains

    /// 300 one-line documents over a dozen words.
    static let corpusText: String = {
        let sentences: [String] = ["the cat sat on the mat", "a dog ate the bone", "the bird sang", "my cat ate a bird",
                                   "the dog sat"]
        var lines: [String] = []
        for i in 0..<300 {
            var line: String = sentences[i % 5]
            if i % 7 == 0 { line += " again" }
            line += i % 11 == 0 ? " today ." : " ."
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static func textFamily(vocabularySize: Int) throws -> NGramFamily {
        NGramFamily(order: 2, smoothing: .kneserNey(0.75), maxLength: 50, bias: CategoricalSamplingBias(),
                    corpus: CategoryPopulation(tokens: [0], starts: [0, 1]), vocabularySize: vocabularySize)
    }

    /// A config on a temporary corpus file.
    static func withCorpus<T>(_ text: String = corpusText, _ body: (String) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ngram-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("corpus.txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try body(file.path)
    }

    static func yaml(_ file: String, model: String = "{ family: ngram, order: 2 }", samples: Int = 60,
                     policy: String = "replace", extra: String = "", heldout: Bool = true) -> String {
        """
        seed: 4
        replicates: 6
        generations: 4
        samples: \(samples)
        \(heldout ? "heldout: 40" : "")
        model: \(model)
        real: { distribution: text, file: \(file), unit: line }
        policy: { kind: \(policy) }
        \(extra)
        """
    }

    /// Results do not depend on the number of workers (every draw is from the chain's
    /// stream), with the unbiased and the top_k sampler.
    @Test(arguments: ["", "sampling: { top_k: 3 }", "sampling: { temperature: 0.7 }", "sampling: { temperature: 0.8, top_p: 0.9 }"])
    func chainsAreIdenticalOnOneOrTwoWorkers(_ sampling: String) throws {
        try Self.withCorpus { file in
            let config = try TestRun.config(Self.yaml(file, extra: sampling))
            let one = TestRun.run(config, jobs: 1), two = TestRun.run(config, jobs: 2)
            #expect(one.chains.map(\.values) == two.chains.map(\.values))
            #expect(one.chains.allSatisfy { $0.values.count == 5 * config.metrics.count })
        }
    }

    /// `samples` counts documents: R₀ is `samples` whole documents, and accumulate's
    /// training sets grow by `samples` documents a generation.
    @Test func samplesCountDocuments() throws {
        try Self.withCorpus { file in
            let config = try TestRun.config(Self.yaml(file, samples: 25))
            let descriptor = NGramDescriptor()
            let text = try #require(config.real.spec as? TextRealData)
            let family = NGramFamily(order: 2, smoothing: .kneserNey(0.75), maxLength: 50, bias: CategoricalSamplingBias(),
                                     corpus: text.corpus, vocabularySize: text.vocabulary.count)
            let stream = Self.stream(1)
            let pool = family.makeTruth(requested: [], stream: stream)
            let r0 = family.drawReal(25, truth: pool, stream: stream)
            #expect(r0.count == 25 && pool.taken == 25)
            #expect(family.fit(r0).documents == 25)
            #expect(descriptor.population(of: config.real)?.units == 300)
            // 300 documents: 261 for R₀ and 40 held-out is one too many.
            let errors = TestRun.configErrors(Self.yaml(file, samples: 261))
            #expect(errors.contains { $0.contains("needs 301 documents per chain (samples 261 + heldout 40)")
                        && $0.contains("at most the 300 documents") },
                    "\(errors)")
        }
    }

    /// Under replace the model forgets: held-out perplexity grows and vocabulary shrinks
    /// from generation 0 to 4 in every one of 6 chains; under accumulate (the pool keeps
    /// R₀) perplexity grows less.
    @Test func replaceForgetsAndAccumulateRemembers() throws {
        try Self.withCorpus(Self.zipfCorpusText) { file in
            let metrics = "metrics: [perplexity_heldout, vocabulary_retained]"
            let replace = try TestRun.run(Self.yaml(file, samples: 40, extra: metrics))
            let accumulate = try TestRun.run(Self.yaml(file, samples: 40, policy: "accumulate", extra: metrics))
            let p0 = TestRun.values(replace, .perplexityHeldout, generation: 0)
            let p4 = TestRun.values(replace, .perplexityHeldout, generation: 4)
            let a4 = TestRun.values(accumulate, .perplexityHeldout, generation: 4)
            #expect(zip(p0, p4).allSatisfy { $0 < $1 }, "\(p0) → \(p4)")
            #expect(MonteCarlo(a4).mean < MonteCarlo(p4).mean, "accumulate \(a4) vs replace \(p4)")
            let v0 = TestRun.values(replace, .vocabularyRetained, generation: 0)
            let v4 = TestRun.values(replace, .vocabularyRetained, generation: 4)
            #expect(MonteCarlo(v4).mean < MonteCarlo(v0).mean, "\(v0) → \(v4)")
        }
    }

    /// 400 documents of 3–12 words drawn from Zipf(1.1) over 300 words (seed 12).
    static var zipfCorpusText: String {
        let stream = stream(12)
        let weights = (1...300).map { pow(Double($0), -1.1) }
        let total = weights.reduce(0, +)
        var lines: [String] = []
        for _ in 0..<400 {
            let length = 3 + stream.uniformIndex(below: 10)
            var words: [String] = []
            for _ in 0..<length {
                var u = stream.uniform() * total, k = 0
                while u >= weights[k] && k < 299 { u -= weights[k]; k += 1 }
                words.append("w\(k)")
            }
            lines.append(words.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `count` documents of 0–9 tokens below `vocabulary`, skewed to the low ids.
    static func randomCorpus(documents count: Int, vocabulary: Int, seed: UInt64) -> DocumentSample {
        let stream = stream(seed)
        var docs: [[Int32]] = []
        for _ in 0..<count {
            let length = stream.uniformIndex(below: 10)
            docs.append((0..<length).map { _ in
                Int32(min(stream.uniformIndex(below: vocabulary), stream.uniformIndex(below: vocabulary)))
            })
        }
        return DocumentSample(documents: docs)
    }

    // MARK: - Config errors

    @Test func configErrorsNameTheFieldValueAndAllowed() throws {
        try Self.withCorpus { file in
            let cases: [(String, [String])] = [
                ("{ family: ngram, order: 6 }", ["model.order: got 6", "an integer in 1 … 5"]),
                ("{ family: ngram, order: 0 }", ["model.order: got 0"]),
                ("{ family: ngram, smoothing: good_turing }", ["model.smoothing: got 'good_turing'", "none, add_alpha, kneser_ney"]),
                ("{ family: ngram, discount: 1.5 }", ["model.discount: got 1.5", "(0, 1]"]),
                ("{ family: ngram, smoothing: add_alpha, alpha: 0 }", ["model.alpha: got 0", "> 0"]),
                ("{ family: ngram, smoothing: none, alpha: 1 }", ["model.alpha: got a value with smoothing none", "alpha only with smoothing add_alpha"]),
                ("{ family: ngram, smoothing: add_alpha, discount: 0.5 }", ["model.discount", "discount only with smoothing kneser_ney"]),
                ("{ family: ngram, max_length: 0 }", ["model.max_length: got 0"]),
                ("{ family: ngram, smoothing: 0.5 }", ["model.smoothing"]),
            ]
            for (model, expected) in cases {
                let errors = TestRun.configErrors(Self.yaml(file, model: model))
                for piece in expected {
                    #expect(errors.contains { $0.contains(piece) }, "\(model): \(errors) lacks \(piece)")
                }
            }
            // A non-text real distribution.
            let normal = TestRun.configErrors("model: { family: ngram }\nreal: { distribution: normal }\n")
            #expect(normal.contains { $0.contains("real.distribution: got 'normal' with model.family ngram") && $0.contains("one of text") },
                    "\(normal)")
        }
    }

    /// A blank line inside a `unit: line` corpus is a document without tokens: refused
    /// for ngram (naming the file and the line), skipped as before for categorical.
    @Test func emptyDocumentsAreRefused() throws {
        try Self.withCorpus("the cat\n\nthe dog\na bird\n\n") { file in
            let errors = TestRun.configErrors(Self.yaml(file, samples: 2))
            #expect(errors.contains { $0.contains("real.file") && $0.contains("1 document without tokens (a blank line, first on line 2)") },
                    "\(errors)")
            let categorical = TestRun.configErrors(Self.yaml(file, model: "{ family: categorical }", samples: 2, heldout: false))
            #expect(categorical.isEmpty, "\(categorical)")
        }
        try Self.withCorpus("\n \n\n") { file in
            let errors = TestRun.configErrors(Self.yaml(file, samples: 2))
            #expect(errors.contains { $0.contains("holds no non-blank line") }, "\(errors)")
        }
    }
}
