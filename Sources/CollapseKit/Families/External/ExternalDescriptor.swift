import Foundation

/// `model.family: external` — any program as a model family, over protocol 1
/// (docs/protocol.md): keys `command` (argv; a relative argv[0] holding a slash resolves
/// from the config file's folder, which is also the program's working directory),
/// `data` (`table` | `vector` | `text`), `options` (a map handed to the program
/// verbatim in `hello`, part of the config hash) and `timeout` (seconds per request,
/// default 600). `data: table` needs `real.distribution: table` (``ExternalTableFamily``),
/// `vector` a continuous parametric distribution (`normal`, `student_t`, `mixture`;
/// ``ExternalVectorFamily``), `text` a text corpus, `real.distribution: text`, one
/// document per line (``ExternalTextFamily``).
public struct ExternalDescriptor: FamilyDescriptor {
    public typealias Family = ExternalTableFamily

    /// What the program trains on and generates.
    public enum DataKind: String, CaseIterable, Sendable {
        case table, vector, text
    }

    /// The family's parsed `model:` keys.
    public struct Options: FamilyOptions, Equatable {
        /// `command` as written.
        public var command: [String]
        /// `command` with argv[0] resolved (absolute when it is a relative path).
        public var argv: [String]
        /// The config file's folder: the program's working directory.
        public var directory: String
        public var data: DataKind
        /// `options`, verbatim.
        public var options: JSONValue
        public var timeout: Double

        public var jsonEntries: [String: JSONValue] {
            ["command": .list(command.map(JSONValue.string)), "data": .string(data.rawValue), "options": options,
             "timeout": .double(timeout)]
        }

        /// How long collapse waits for a reply does not change what the program writes,
        /// so a run may be resumed (or its shards merged) with another `timeout`.
        public var unhashedKeys: Set<String> { ["timeout"] }

        /// The `hello` request line.
        var helloLine: String {
            JSONValue.map(["op": .string("hello"), "protocol": .int(ExternalDescriptor.protocolVersion),
                           "data": .string(data.rawValue), "options": options]).jsonText(pretty: false)
        }
    }

    /// The protocol version collapse speaks.
    public static let protocolVersion = 1
    /// `timeout` when absent, seconds.
    public static let defaultTimeout = 600.0
    /// The continuous parametric kinds `data: vector` works with.
    static let vectorKinds = ["normal", "student_t", "mixture"]

    public init() {}
    public var name: String { "external" }
    public var keys: [String] { ["command", "data", "options", "timeout"] }
    public var realKinds: [String] { Self.vectorKinds + ["table", "text"] }
    public var primaryMetrics: [MetricName] {
        [.labelCoverage, .variance, .trace, .varianceRatio, .ksComplement, .correlationSimilarity, .rangeCoverage, .tvComplement,
         .rareCategoryLoss, .contingencySimilarity, .vocabularyRetained, .distinct2, .unigramTV, .zipfExponent, .meanLength]
    }

    public func parse(_ r: ConfigReader) -> (any FamilyOptions)? {
        let command = parseCommand(r)
        let data = r.string("data", oneOf: DataKind.allCases.map(\.rawValue)).flatMap(DataKind.init)
        var options: JSONValue? = .map([:])
        if let v = r.raw("options") {
            if case .map = v { options = v } else {
                r.fail("options", v.shortDescription, "a map of the program's options (passed verbatim in hello)")
                options = nil
            }
        }
        let timeout = r.double("timeout", default: Self.defaultTimeout, allowed: "a number of seconds > 0", valid: { $0 > 0 })
        guard let command, let data, let options, let timeout else { return nil }
        var argv = command
        if argv[0].contains("/"), !argv[0].hasPrefix("/") {
            argv[0] = URL(fileURLWithPath: r.baseDirectory).appendingPathComponent(argv[0]).standardizedFileURL.path
        }
        if argv[0].hasPrefix("/"), !FileManager.default.isExecutableFile(atPath: argv[0]) {
            r.fail("command", "['\(command[0])', …] (\(argv[0]) is not an executable file)",
                   "an argv list whose first word is a program on PATH or an executable file (relative to the config's folder)")
            return nil
        }
        return Options(command: command, argv: argv, directory: r.baseDirectory, data: data, options: options,
                       timeout: timeout)
    }

    private func parseCommand(_ r: ConfigReader) -> [String]? {
        let allowed = "an argv list of strings, e.g. [python3, generators/vae_digits.py]"
        guard let v = r.raw("command") else {
            r.fail("command", "nothing", allowed)
            return nil
        }
        guard case .list(let items) = v, !items.isEmpty else {
            r.fail("command", v.shortDescription, allowed)
            return nil
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item, !s.isEmpty else {
                r.fail("command[\(i)]", item.shortDescription, "a non-empty string")
                return nil
            }
            out.append(s)
        }
        return out
    }

    public func configProblem(_ config: ExperimentConfig) -> ConfigError? {
        config.real.spec is TableRealData ? TablePrivacyMetrics.problem(config) : nil
    }

    public func configProblem(options: any FamilyOptions, real: RealDataConfig) -> ConfigError? {
        guard let o = options as? Options else { return nil }
        let rule = "data: table needs real.distribution: table; data: vector needs \(Self.vectorKinds.joined(separator: ", ")) (columns x1…xd); data: text needs real.distribution: text"
        switch o.data {
        case .table where real.name != "table":
            return ConfigError(field: "model.data", value: "'table' with real.distribution \(real.name)", allowed: rule)
        case .vector where !Self.vectorKinds.contains(real.name):
            return ConfigError(field: "model.data", value: "'vector' with real.distribution \(real.name)", allowed: rule)
        case .text where real.name != "text":
            return ConfigError(field: "model.data", value: "'text' with real.distribution \(real.name)", allowed: rule)
        default:
            return nil
        }
    }

    /// A table's metrics compare with held-out rows, not with the file's moments (whose
    /// covariance may be singular: the digits' always-blank corner pixels).
    public func needsRealReference(_ real: RealDataConfig) -> Bool { !(real.spec is TableRealData) }

    /// With a text corpus, `samples` and `heldout` count documents.
    public func population(of real: RealDataConfig) -> RealPopulation? {
        (real.spec as? TextRealData)?.documentPopulation ?? real.spec.population
    }

    public func minimumTrainingSize(dimension d: Int) -> (size: Int, reason: String) {
        (2, "(two rows, the fewest from which a generator can estimate a spread)")
    }

    public func metrics(real: RealDataConfig) -> [MetricInfo] {
        if real.spec is TableRealData { return ExternalTableFamily.metrics(real: real).map(\.info) }
        if real.spec is TextRealData { return ExternalTextFamily.metrics(real: real).map(\.info) }
        if Self.vectorKinds.contains(real.name) { return ExternalVectorFamily.metrics(real: real).map(\.info) }
        return []
    }

    public func unavailableMetrics(real: RealDataConfig) -> [MetricName: String] {
        if real.spec is TextRealData {
            return [.perplexityHeldout: "an external generator has no density: perplexity needs the model's probabilities (model.family ngram has them)"]
        }
        guard real.spec is TableRealData else { return [:] }
        return TableMetrics.unavailable(schema: CopulaDescriptor.schema(of: real),
                                        offered: ExternalTableFamily.metrics(real: real).map(\.name))
            .merging(UtilityMetrics.unavailable(real: real)) { a, _ in a }
    }

    /// The pool of this config's program.
    static func pool(_ config: ExperimentConfig) -> GeneratorPool {
        let o = config.model.options(as: Options.self)
        return ExternalGenerators.pool(argv: o.argv, directory: o.directory, hello: o.helloLine, timeout: o.timeout)
    }

    public func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner {
        let generator = ExternalGenerator(pool: Self.pool(config), count: config.policy.rule.outputSize(samples: config.samples))
        if let text = config.real.spec as? TextRealData {
            return ChainRunners.make(ExternalTextFamily(text: text, generator: generator), config: config)
        }
        if let table = CopulaDescriptor.modelledTable(of: config.real) {
            let centroids = (config.real.spec as? TableRealData).flatMap(LabelCentroids.init)
            return ChainRunners.make(ExternalTableFamily(table: table, generator: generator, centroids: centroids),
                                     config: config)
        }
        return ChainRunners.make(ExternalVectorFamily(real: config.real.reference!, generator: generator), config: config)
    }

    /// Starts the program and checks its `hello`; throws ``ExternalStartError``.
    public func prepare(_ config: ExperimentConfig) throws {
        do {
            try Self.pool(config).check()
        } catch {
            throw ExternalStartError(command: config.model.options(as: Options.self).command, failure: error)
        }
    }

    public var canFailInGenerator: Bool { true }

    public func manifestEntry(_ config: ExperimentConfig) -> JSONValue? {
        let o = config.model.options(as: Options.self)
        let identity = Self.pool(config).nameAndVersion
        return .map(["command": .list(o.command.map(JSONValue.string)), "data": .string(o.data.rawValue),
                     "protocol": .int(Self.protocolVersion),
                     "name": identity.map { .string($0.name) } ?? .null,
                     "version": identity.map { .string($0.version) } ?? .null])
    }
}

/// An external generator that failed its `hello` (or could not start): the run stops
/// before any chain starts.
public struct ExternalStartError: Error, CustomStringConvertible {
    public let command: [String]
    public let failure: GeneratorFailure

    public var description: String {
        "the generator \(command.joined(separator: " ")) failed hello: \(failure.description)"
    }
}
