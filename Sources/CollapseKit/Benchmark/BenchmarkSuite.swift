import Foundation
import Dispatch

/// One measured kernel of `collapse bench`: what it did per second, and that rate set
/// against a reference (the raw RNG rate, one worker, or the plain path).
public struct BenchmarkResult: Sendable {
    /// Kernel name, e.g. `gaussian.samples`.
    public var kernel: String
    /// What was run, in config terms.
    public var setup: String
    /// Units of work per second (median over the runs).
    public var rate: Double
    /// What a unit is: `draws/s`, `generations/s`, `fits/s`, `points/s`.
    public var unit: String
    /// The reference rate in the same unit, and what it is.
    public var reference: Double?
    public var referenceName: String?
    /// rate / reference.
    public var ratio: Double? { reference.map { rate / $0 } }
    /// The issue's target for the ratio, when there is one.
    public var target: Double?
}

/// The kernels of `collapse bench`. Each is timed `runs` times and the median taken;
/// every one runs real configs through ``ExperimentRunner`` except the raw-RNG and
/// single-fit kernels, which call the family directly.
public struct BenchmarkSuite: Sendable {
    /// Runs per kernel (the median is reported).
    public var runs: Int
    /// Smaller problems, for a smoke test.
    public var quick: Bool

    /// Points the `gmm.fit` kernel fits (1-D); nil for ``gmmData(points:)``.
    public var gmmData: Dataset?

    /// A CSV file the `copula.*` kernels fit (every column, rows with an empty cell
    /// dropped); nil for draws of a correlated 6-dimensional normal.
    public var copulaData: String?
    /// The text `ngram.fit` and `ngram.generate` train on (read as the fortunes
    /// experiments read data/fortunes.txt: paragraphs, lower-cased words); nil for
    /// ``ngramCorpus(documents:)``.
    public var textData: String?

    public init(runs: Int = 5, quick: Bool = false, gmmData: Dataset? = nil, copulaData: String? = nil,
                textData: String? = nil) {
        self.runs = max(1, runs)
        self.quick = quick
        self.gmmData = gmmData
        self.copulaData = copulaData
        self.textData = textData
    }

    /// The kernel names, in the order they run.
    public static let kernels = ["rng.normal", "gaussian.samples", "gaussian.moments", "gaussian.jobs2", "gaussian.statistics",
                                 "gaussian.accumulate", "categorical.statistics", "kde.sample", "gmm.fit",
                                 "copula.empirical", "copula.normal", "ngram.fit", "ngram.generate", "external.protocol"]
        + outputKernels + privacyKernels

    /// Runs the named kernels (all when `only` is empty), handing each result over
    /// as it is measured.
    public func run(only: Set<String> = [], report: (BenchmarkResult) -> Void) throws {
        GSLRuntime.ensureConfigured()
        let want = { (name: String) in only.isEmpty || only.contains(name) }
        let n = quick ? 1000 : 10_000
        // The references are measured only when a kernel that needs them runs.
        let needsRaw = ["rng.normal", "gaussian.samples", "gaussian.moments", "gaussian.jobs2", "gaussian.accumulate"].contains(where: want)
        let rawRate = needsRaw ? rawNormalRate(draws: quick ? 1_000_000 : 20_000_000) : .nan
        if want("rng.normal") {
            report(BenchmarkResult(kernel: "rng.normal", setup: "gsl_ran_gaussian_ziggurat on mt19937, one thread",
                                   rate: rawRate, unit: "draws/s", reference: nil, referenceName: nil))
        }
        // 1. The fused Gaussian chain against the raw normal rate.
        let replicates = quick ? 4 : 40
        let needsFused = want("gaussian.samples") || want("gaussian.jobs2")
        let fused = needsFused ? try gaussianChain(samples: n, generations: 100, replicates: replicates, jobs: 1,
                                                   sampler: "samples") : nil
        if want("gaussian.samples"), let fused {
            report(BenchmarkResult(kernel: "gaussian.samples", setup: fused.setup, rate: fused.drawRate,
                                   unit: "draws/s", reference: rawRate, referenceName: "rng.normal", target: 0.85))
        }
        // The same with the sample metrics computed while drawing (all but ks).
        if want("gaussian.moments") {
            let moments = try gaussianChain(samples: n, generations: 100, replicates: replicates, jobs: 1,
                                            sampler: "samples",
                                            metrics: "[variance, mean, w2, kl, tail_mass_ratio, sample_tail_mass_ratio, sample_skewness, sample_kurtosis]")
            report(BenchmarkResult(kernel: "gaussian.moments", setup: moments.setup + ", with sample_* metrics",
                                   rate: moments.drawRate, unit: "draws/s", reference: rawRate,
                                   referenceName: "rng.normal", target: 0.85))
        }
        // 2. Two workers against one.
        if want("gaussian.jobs2"), let fused {
            let two = try gaussianChain(samples: n, generations: 100, replicates: replicates, jobs: 2,
                                        sampler: "samples")
            report(BenchmarkResult(kernel: "gaussian.jobs2", setup: two.setup, rate: two.drawRate,
                                   unit: "draws/s", reference: fused.drawRate, referenceName: "gaussian.samples (1 worker)",
                                   target: 1.8))
        }
        // 4. Exact statistics against real draws at samples = 10⁵.
        let big = quick ? 10_000 : 100_000
        if want("gaussian.statistics") {
            let plain = try gaussianChain(samples: big, generations: 100, replicates: quick ? 1 : 4, jobs: 1,
                                          sampler: "samples")
            let exact = try gaussianChain(samples: big, generations: 100, replicates: quick ? 200 : 20_000,
                                          jobs: 1, sampler: "statistics")
            report(BenchmarkResult(kernel: "gaussian.statistics", setup: exact.setup, rate: exact.generationRate,
                                   unit: "generations/s", reference: plain.generationRate,
                                   referenceName: "sampler samples", target: 1000))
        }
        if want("gaussian.accumulate") {
            let acc = try gaussianChain(samples: n, generations: 100, replicates: replicates, jobs: 1,
                                        sampler: "samples", policy: "accumulate")
            report(BenchmarkResult(kernel: "gaussian.accumulate", setup: acc.setup, rate: acc.drawRate,
                                   unit: "draws/s", reference: rawRate, referenceName: "rng.normal"))
        }
        if want("categorical.statistics") {
            for k in [10, 1000] {
                let plain = try categoricalChain(samples: big, categories: k, replicates: quick ? 1 : 4,
                                                 sampler: "samples")
                let exact = try categoricalChain(samples: big, categories: k,
                                                 replicates: quick ? 20 : (k <= 10 ? 20_000 : 400),
                                                 sampler: "statistics")
                report(BenchmarkResult(kernel: "categorical.statistics", setup: exact.setup,
                                       rate: exact.generationRate, unit: "generations/s",
                                       reference: plain.generationRate, referenceName: "sampler samples"))
            }
        }
        if want("kde.sample") {
            for points in quick ? [1000, 10_000] : [1000, 10_000, 100_000] {
                report(kdeSampling(points: points))
            }
        }
        if want("gmm.fit") { report(gmmFit(points: quick ? 1000 : 10_000)) }
        for form in MetricsFileForm.allCases where want("output.\(form.rawValue)") { report(try outputWrite(form: form)) }
        for kind in [CopulaMarginal.Kind.empirical, .normal] where want("copula.\(kind.rawValue)") {
            report(try copulaFitAndSample(kind, rows: quick ? 2000 : 32_561))
        }
        if want("external.protocol") { report(try externalProtocol(rows: 1000)) }
        for d in [2, 10, 64] where want("privacy.nn.d\(d)") { report(nearestNeighbours(dimension: d)) }
        if want("ngram.fit") || want("ngram.generate") {
            let (corpus, vocabulary, source) = textData.map { Self.textCorpus($0) }
                ?? (Self.ngramCorpus(documents: quick ? 1000 : 14_000), 30_000, "generated Zipf(1.1) words")
            let model = NGramModel(fitting: corpus, order: 3, vocabularySize: vocabulary, smoothing: .kneserNey(0.75),
                                   sparseTopK: true)
            let described = "order 3, Kneser–Ney D = 0.75, \(source): \(corpus.count) documents, \(corpus.tokens.count) tokens, \(vocabulary) types"
            if want("ngram.fit") {
                let seconds = median {
                    _ = NGramModel(fitting: corpus, order: 3, vocabularySize: vocabulary, smoothing: .kneserNey(0.75))
                }
                report(BenchmarkResult(kernel: "ngram.fit", setup: "\(described), \(model.tables[2].count) distinct trigrams",
                                       rate: 1 / seconds, unit: "fits/s", reference: nil, referenceName: nil))
            }
            if want("ngram.generate") {
                let tokens = quick ? 10_000 : 200_000
                for bias in [CategoricalSamplingBias(), CategoricalSamplingBias(topK: 20)] {
                    report(ngramGeneration(model, bias: bias, tokens: tokens, described: described))
                }
            }
        }
    }

    /// Tokens per second (every drawn token, end tokens included) generated from `model`,
    /// in documents of at most 200 tokens, until at least `tokens` are drawn.
    func ngramGeneration(_ model: NGramModel, bias: CategoricalSamplingBias, tokens: Int, described: String) -> BenchmarkResult {
        var drawn = 0
        let seconds = median {
            var sampler = NGramSampler(model: model, bias: bias, maxLength: 200)
            let stream = RandomStream(key: StreamKey(seed: 1, cell: 4, replicate: 0))
            drawn = 0
            while drawn < tokens {
                let batch = sampler.sample(100, stream: stream)
                drawn += batch.tokens.count + batch.count
            }
        }
        let kind = bias.isIdentity ? "no bias" : "top_k = \(bias.topK)"
        return BenchmarkResult(kernel: "ngram.generate", setup: "\(kind), \(drawn) tokens drawn; \(described)",
                               rate: Double(drawn) / seconds, unit: "tokens/s", reference: nil, referenceName: nil)
    }

    /// A text's documents as the fortunes experiments read it: paragraphs, words, lower-cased.
    static func textCorpus(_ text: String) -> (DocumentSample, Int, String) {
        let (vocabulary, population) = TextRealData.corpus(text, unit: .paragraph, tokens: .word, lowercase: true)
        return (DocumentSample(tokens: population.tokens, starts: population.starts!), vocabulary.count, "--text-data")
    }

    /// `documents` documents of 1–74 tokens (37 on average, as a fortune), each token
    /// Zipf(1.1) over 30,000 types, from seed 1.
    public static func ngramCorpus(documents: Int) -> DocumentSample {
        let weights = (1...30_000).map { pow(Double($0), -1.1) }
        let table = WalkerAliasTable(weights: weights)!
        let stream = RandomStream(key: StreamKey(seed: 1, cell: 5, replicate: 0))
        var tokens: [Int32] = [], starts = [0]
        for _ in 0..<documents {
            tokens.append(contentsOf: table.draw(1 + stream.uniformIndex(below: 74), stream: stream))
            starts.append(tokens.count)
        }
        return DocumentSample(tokens: tokens, starts: starts)
    }

    // MARK: Kernels

    /// Standard normal draws per second from one stream.
    func rawNormalRate(draws: Int) -> Double {
        let stream = RandomStream(key: StreamKey(seed: 1, cell: 0, replicate: 0))
        var sink = 0.0
        let seconds = median {
            var acc = 0.0
            for _ in 0..<draws { acc += stream.standardNormal() }
            sink += acc
        }
        precondition(sink.isFinite)
        return Double(draws) / seconds
    }

    struct ChainTiming {
        var setup: String
        var drawRate: Double
        var generationRate: Double
    }

    /// A 1-D Gaussian experiment (mle, N(0, 1) real data) timed through ExperimentRunner.
    func gaussianChain(samples: Int, generations: Int, replicates: Int, jobs: Int, sampler: String,
                       policy: String = "replace",
                       metrics: String = "[variance, mean, w2, kl, tail_mass_ratio]") throws -> ChainTiming {
        let yaml = """
        replicates: \(replicates)
        generations: \(generations)
        samples: \(samples)
        model: { family: gaussian, estimator: mle }
        policy: { kind: \(policy) }
        metrics: \(metrics)
        sampler: \(sampler)
        """
        let (config, seconds) = try timeExperiment(yaml, jobs: jobs)
        // The normal variates drawn: R₀ and one output per generation; the last output
        // only when a sample metric looks at it (under statistics, none of these).
        let lastDrawn = config.requestedMetricInfo.contains { $0.needs.contains(.batch) } ? 1 : 0
        let draws = Double(replicates) * Double(samples) * Double(generations + 1 + lastDrawn)
        return ChainTiming(
            setup: "gaussian \(policy), sampler \(sampler), n = \(samples), G = \(generations), \(replicates) replicates, \(jobs) worker\(jobs == 1 ? "" : "s")",
            drawRate: draws / seconds,
            generationRate: Double(replicates) * Double(generations + 1) / seconds)
    }

    /// A categorical experiment on Zipf(1.1) real data under replace.
    func categoricalChain(samples: Int, categories: Int, replicates: Int, sampler: String) throws -> ChainTiming {
        let yaml = """
        replicates: \(replicates)
        generations: 100
        samples: \(samples)
        model: { family: categorical }
        real: { distribution: zipf, categories: \(categories), exponent: 1.1 }
        policy: { kind: replace }
        metrics: [support_size, lost_mass, heterozygosity]
        sampler: \(sampler)
        """
        let seconds = try timeExperiment(yaml, jobs: 1).seconds
        return ChainTiming(
            setup: "categorical zipf K = \(categories), replace, sampler \(sampler), n = \(samples), G = 100, \(replicates) replicates, 1 worker",
            drawRate: Double(replicates) * Double(samples) * 100 / seconds,
            generationRate: Double(replicates) * 101 / seconds)
    }

    /// An experiment config and the median wall time of running all its chains.
    func timeExperiment(_ yaml: String, jobs: Int) throws -> (config: ExperimentConfig, seconds: Double) {
        let experiment = try ConfigLoader.parseExperiment(text: yaml, source: "bench")
        return (experiment.base, median { _ = ExperimentRunner(experiment: experiment, jobs: jobs).results() })
    }

    /// Points per second drawn from a fixed-bandwidth KDE fitted to `points` points
    /// (the same number drawn): constant when sampling is O(samples).
    func kdeSampling(points: Int) -> BenchmarkResult {
        let real = try! RealReference(NormalDistribution(mean: [0], covariance: .diagonal([1]))!)
        let family = KernelDensityFamily(real: real, bandwidth: .fixed(0.3), temperature: 1)
        let stream = RandomStream(key: StreamKey(seed: 1, cell: 1, replicate: 0))
        let truth = family.makeTruth(requested: [], stream: stream)
        let model = family.fit(family.drawReal(points, truth: truth, stream: stream), stream: stream)
        let seconds = median { _ = family.sample(model, count: points, truth: truth, stream: stream) }
        return BenchmarkResult(kernel: "kde.sample", setup: "kde h = 0.3, fitted to n = \(points), \(points) points drawn",
                               rate: Double(points) / seconds, unit: "points/s", reference: nil, referenceName: nil)
    }

    /// EM fits per second: k = 2, full covariance, tolerance 1e-3, max 100 iterations,
    /// regularization 1e-6, one k-means++ initialisation (scikit-learn's defaults with
    /// `init_params="k-means++"`), on ``gmmData`` or else `points` draws of
    /// 0.7·N(−3, 1) + 0.3·N(3, 1) (`benchmarks/gmm_vs_sklearn.py` fits the same file with
    /// scikit-learn).
    func gmmFit(points: Int) -> BenchmarkResult {
        let data = gmmData ?? Self.gmmData(points: points)
        let real = try! RealReference(NormalMixtureDistribution(weights: [0.7, 0.3], means: [-3, 3], sds: [1, 1]))
        let options = GaussianMixtureFamily.Options(components: 2, covariance: .full, maxIterations: 100,
                                                    tolerance: 1e-3, regularization: 1e-6)
        let family = GaussianMixtureFamily(real: real, options: options, temperature: 1)
        let key = StreamKey(seed: 1, cell: 3, replicate: 0)
        let seconds = median { _ = family.fit(data, stream: RandomStream(key: key)) }
        let iterations = GaussianMixtureEM(options: options).fit(data, stream: RandomStream(key: key)).iterations
        return BenchmarkResult(kernel: "gmm.fit", setup: "gmm k = 2, full, tol 1e-3, n = \(data.count)\(gmmData == nil ? "" : " (--gmm-data)"), \(iterations) EM iterations",
                               rate: 1 / seconds, unit: "fits/s", reference: nil, referenceName: nil)
    }

    /// The GMM benchmark's data: `points` draws of 0.7·N(−3, 1) + 0.3·N(3, 1) from seed 1.
    public static func gmmData(points: Int) -> Dataset {
        let mixture = NormalMixtureDistribution(weights: [0.7, 0.3], means: [-3, 3], sds: [1, 1])
        let stream = RandomStream(key: StreamKey(seed: 1, cell: 2, replicate: 0))
        return Dataset(values: mixture.sample(count: points, stream: stream), dimension: 1)
    }

    /// Rows per second of one copula fit to a table plus as many rows sampled from it
    /// (`benchmarks/copula_vs_copulas.py` times the `copulas` package on the same file):
    /// ``copulaData`` (every column, rows with an empty cell dropped), or else `rows`
    /// draws of a correlated 6-dimensional normal.
    func copulaFitAndSample(_ kind: CopulaMarginal.Kind, rows: Int) throws -> BenchmarkResult {
        let real = copulaData.map { "{ distribution: table, file: '\($0)', missing: drop }" }
            ?? "{ distribution: normal, mean: [0, 0, 0, 0, 0, 0], covariance: [[1, 0.5, 0.2, 0, 0, 0], [0.5, 1, 0.3, 0, 0, 0], [0.2, 0.3, 1, 0, 0, 0], [0, 0, 0, 1, -0.4, 0], [0, 0, 0, -0.4, 1, 0], [0, 0, 0, 0, 0, 1]] }"
        // samples only has to pass the size checks (≥ columns + 1, which the header's
        // comma count bounds): the kernel fits every row.
        let header = copulaData.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?.prefix { !$0.isNewline }
        let samples = (header.map { $0.count { $0 == "," } } ?? 6) + 2
        let config = try ConfigLoader.parse(text: "samples: \(samples)\nheldout: 1\nmodel: { family: copula, marginals: \(kind.rawValue) }\nreal: \(real)\n",
                                            source: "bench")
        let family = CopulaDescriptor.family(config)
        let stream = RandomStream(key: StreamKey(seed: 1, cell: 4, replicate: 0))
        let table: MixedTable
        if case .table(let t) = family.source { table = t } else { table = family.drawReal(rows, truth: nil, stream: stream) }
        let seconds = median {
            let model = family.fit(table, stream: stream)
            _ = family.sample(model, count: table.count, truth: nil, stream: stream)
        }
        let s = table.schema
        return BenchmarkResult(kernel: "copula.\(kind.rawValue)",
                               setup: "copula marginals \(kind.rawValue), fit + sample \(table.count) rows × \(s.numericColumns.count) numeric + \(s.categoricalColumns.count) categorical columns\(copulaData == nil ? " (normal d = 6)" : " (--copula-data)"), \(String(format: "%.3f", seconds)) s",
                               rate: Double(table.count) / seconds, unit: "rows/s", reference: nil, referenceName: nil)
    }

    /// Median wall time of `runs` calls, in seconds (after one warm-up call).
    func median(_ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return times[times.count / 2]
    }
}
