/// The n-gram family: an n-gram language model over a text corpus's tokens
/// (``NGramModel``: maximum likelihood, add-α or interpolated Kneser–Ney, Chen & Goodman
/// 1998), fitted to a list of documents and sampled document by document
/// (``NGramSampler``) under the categorical family's sampling bias at every step.
///
/// An observation is a document, so `samples` counts documents: R₀, the held-out set and
/// fresh real data are whole documents drawn without replacement from the chain's
/// ``RowPool`` over the corpus's documents, and every policy selects, mixes and
/// accumulates documents. This is the language-model setting of Shumailov et al. (2024)
/// with a model whose tails are explicit: an n-gram never seen in a training set is
/// only reachable through the lower orders' back-off mass, and with `smoothing: none` not
/// at all.
public struct NGramFamily: DocumentFamily {
    public typealias Data = DocumentSample
    public typealias Model = NGramModel
    /// The chain's unused documents.
    public typealias Truth = RowPool

    public let order: Int
    public let smoothing: NGramSmoothing
    public let maxLength: Int
    public let bias: CategoricalSamplingBias
    /// The corpus: its documents as token ids (``TextRealData``).
    public let corpus: CategoryPopulation
    /// V, the corpus's token types (ids 0..<V).
    public let vocabularySize: Int

    public init(order: Int, smoothing: NGramSmoothing, maxLength: Int, bias: CategoricalSamplingBias,
                corpus: CategoryPopulation, vocabularySize: Int) {
        precondition((1...5).contains(order) && maxLength >= 1 && corpus.starts != nil && vocabularySize >= 1)
        self.order = order
        self.smoothing = smoothing
        self.maxLength = maxLength
        self.bias = bias
        self.corpus = corpus
        self.vocabularySize = vocabularySize
    }

    /// Counts the n-grams of `data` (draws nothing).
    /// - Complexity: O(order · (tokens + documents)), memory O(distinct n-grams).
    public func fit(_ data: DocumentSample, stream: RandomStream) -> NGramModel {
        NGramModel(fitting: data, order: order, vocabularySize: vocabularySize, smoothing: smoothing,
                   sparseTopK: NGramSampler.usesSparseTopK(bias: bias, predicted: vocabularySize + 1),
                   temperature: NGramSampler.usesTemperaturePath(bias: bias) ? bias.temperature : nil)
    }

    /// Every fit is a proper distribution (an empty training set is refused by the
    /// config's size check), so nothing is degenerate.
    public func diagnose(_ model: NGramModel) -> [ChainEvent.Kind] { [] }

    public func sample(_ model: NGramModel, count: Int, truth: RowPool, stream: RandomStream) -> DocumentSample {
        var sampler = NGramSampler(model: model, bias: bias, maxLength: maxLength)
        return sampler.sample(count, stream: stream)
    }

    /// log p(document and its end token), per document (−∞ where the model gives 0).
    public func logDensity(_ model: NGramModel, of data: DocumentSample) -> [Double]? {
        (0..<data.count).map { model.logProbability(data.document($0)) }
    }

    public static func metrics(real: RealDataConfig) -> [Metric<NGramFamily>] { TextMetrics.all + LikelihoodPrivacyMetrics.all() }
}

/// `model.family: ngram` — keys `order` (1–5, default 3), `smoothing` (`none` |
/// `add_alpha` | `kneser_ney`, default `kneser_ney`), `alpha` (add-α, default 1),
/// `discount` (Kneser–Ney, default 0.75) and `max_length` (tokens per generated
/// document, default 200); sampling keys `top_k`, `top_p`; real data `text` only.
public struct NGramDescriptor: FamilyDescriptor {
    public typealias Family = NGramFamily

    /// The family's parsed `model:` keys.
    public struct Options: FamilyOptions, Equatable {
        public var order: Int
        public var smoothing: NGramSmoothing
        public var maxLength: Int

        public var jsonEntries: [String: JSONValue] {
            var map: [String: JSONValue] = ["order": .int(order), "max_length": .int(maxLength)]
            switch smoothing {
            case .none: map["smoothing"] = .string("none")
            case .addAlpha(let a):
                map["smoothing"] = .string("add_alpha")
                map["alpha"] = .double(a)
            case .kneserNey(let d):
                map["smoothing"] = .string("kneser_ney")
                map["discount"] = .double(d)
            }
            return map
        }
    }

    public init() {}
    public var name: String { "ngram" }
    public var keys: [String] { ["order", "smoothing", "alpha", "discount", "max_length"] }
    public var realKinds: [String] { ["text"] }
    public var samplingKeys: [String] { ["top_k", "top_p"] }
    public var primaryMetrics: [MetricName] {
        [.perplexityHeldout, .vocabularyRetained, .distinct2, .unigramTV, .zipfExponent, .meanLength]
    }

    public func parse(_ r: ConfigReader) -> (any FamilyOptions)? {
        let order = r.int("order", default: 3, range: 1...5, note: "the n of the n-gram")
        let kinds = ["none", "add_alpha", "kneser_ney"]
        let kind = r.string("smoothing", default: "kneser_ney", oneOf: kinds)
        var smoothing: NGramSmoothing?
        switch kind {
        case "none"?: smoothing = NGramSmoothing.none
        case "add_alpha"?:
            smoothing = r.double("alpha", default: 1, allowed: "a number > 0 (add-α smoothing)") { $0 > 0 }
                .map(NGramSmoothing.addAlpha)
        case "kneser_ney"?:
            smoothing = r.double("discount", default: 0.75, allowed: "a number in (0, 1] (the Kneser–Ney discount D)") {
                $0 > 0 && $0 <= 1
            }.map(NGramSmoothing.kneserNey)
        default: break
        }
        for (key, owner) in [("alpha", "add_alpha"), ("discount", "kneser_ney")] where r.has(key) && kind != owner {
            _ = r.raw(key)
            if let kind { r.fail(key, "a value with smoothing \(kind)", "\(key) only with smoothing \(owner)") }
        }
        let maxLength = r.int("max_length", default: 200, range: 1...1_000_000, note: "tokens per generated document")
        guard let order, let smoothing, let maxLength else { return nil }
        return Options(order: order, smoothing: smoothing, maxLength: maxLength)
    }

    public func minimumTrainingSize(dimension d: Int) -> (size: Int, reason: String) {
        (1, "(an n-gram model needs at least one document)")
    }

    /// An offset and, as an estimate, 64 tokens of 4 bytes: the descriptor does not see
    /// the corpus, and ``MemoryEstimate`` only needs the order of magnitude.
    public func bytesPerPoint(dimension d: Int) -> Int { 8 + 4 * 64 }

    /// `samples` and `heldout` count documents.
    public func population(of real: RealDataConfig) -> RealPopulation? {
        (real.spec as? TextRealData)?.documentPopulation ?? real.spec.population
    }

    /// A corpus with an empty document (a blank line inside a `unit: line` file): the
    /// model learns document lengths from the end token, so dropping it silently would
    /// bias them.
    public func realDataProblem(_ real: RealDataConfig) -> RealDataProblem? {
        guard let text = real.spec as? TextRealData, let empty = text.emptyDocuments else { return nil }
        return RealDataProblem(
            key: "file",
            value: "'\(text.path)' with \(empty.count) document\(empty.count == 1 ? "" : "s") without tokens (a blank line, first on line \(empty.firstLine))",
            allowed: "every document with at least one token for model.family ngram: remove the blank lines, or use unit: paragraph if blank lines separate documents")
    }

    /// The membership metrics of documents need `privacy.attack: likelihood`.
    public func configProblem(_ config: ExperimentConfig) -> ConfigError? { LikelihoodPrivacyMetrics.problem(config) }

    public func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner {
        let options = config.model.options(as: Options.self)
        guard let text = config.real.spec as? TextRealData else {
            preconditionFailure("a validated ngram config has real.distribution text")
        }
        let bias = CategoricalSamplingBias(temperature: config.sampling.temperature, topK: config.sampling.topK,
                                           topP: config.sampling.topP)
        return ChainRunners.make(NGramFamily(order: options.order, smoothing: options.smoothing,
                                             maxLength: options.maxLength, bias: bias, corpus: text.corpus,
                                             vocabularySize: text.vocabulary.count), config: config)
    }
}
