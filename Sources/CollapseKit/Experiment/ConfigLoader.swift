import Foundation

/// Turns config text (YAML or JSON) plus `--set key.path=value` overrides into a
/// validated ``ExperimentConfig``, or throws ``ConfigErrors`` naming every bad field,
/// the value it got and what is allowed.
public enum ConfigLoader {
    /// Loads a config file.
    public static func load(path: String, overrides: [String] = []) throws -> ExperimentConfig {
        try parse(text: readFile(path), source: path, overrides: overrides)
    }

    public static func parse(text: String, source: String = "config",
                             overrides: [String] = []) throws -> ExperimentConfig {
        try validate(tree(text: text, source: source, overrides: overrides))
    }

    /// The text of a config file, or the error naming it.
    static func readFile(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else {
            throw ConfigErrors(errors: [ConfigError(field: "CONFIG", value: "'\(path)'",
                                                    allowed: "a readable UTF-8 YAML or JSON file")])
        }
        return text
    }

    /// The parsed tree with the overrides applied (sweep keys normalised first, see
    /// ``SweepSpec/nested(_:)``, so `--set sweep.a.b=…` replaces a dotted `a.b`).
    static func tree(text: String, source: String, overrides: [String]) throws -> JSONValue {
        do {
            var tree = SweepSpec.nested(try JSONValue.parseYAML(text, source: source))
            try applyOverrides(overrides, to: &tree)
            return tree
        } catch let e as ConfigError {
            throw ConfigErrors(errors: [e])
        }
    }

    /// Applies `key.path=value` overrides; the value is read as YAML (so `0.5` is a
    /// number, `[1, 2]` a list, `fresh` a string).
    public static func applyOverrides(_ overrides: [String], to tree: inout JSONValue) throws {
        for item in overrides {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ConfigError(field: "--set", value: "'\(item)'", allowed: "key.path=value, e.g. samples=1000")
            }
            let key = String(item[..<eq])
            let valueText = String(item[item.index(after: eq)...])
            let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard path.allSatisfy({ !$0.isEmpty }) else {
                throw ConfigError(field: "--set", value: "'\(item)'", allowed: "a dotted key path such as policy.kind")
            }
            let value = try JSONValue.parseYAML(valueText, source: "--set \(key)")
            try tree.set(path: path, to: valueText.isEmpty ? .null : value, fullPath: key)
        }
    }

    static let topLevelKeys = ["name", "seed", "replicates", "generations", "samples", "rng",
                               "model", "real", "policy", "sampling", "heldout", "output", "metrics", "sampler", "sweep", "zip"]

    /// Validates a parsed tree.
    public static func validate(_ tree: JSONValue) throws -> ExperimentConfig {
        let sink = ErrorSink()
        let top = ConfigReader(tree, path: "", sink: sink)

        let name = top.string("name", default: "experiment")
        if let name, name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || "-_.".contains($0)) })
            || name.hasPrefix(".") {
            top.fail("name", "'\(name)'", "letters, digits, '-', '_' and '.' (not leading), since it names the output folder")
        }
        let seed = top.int("seed", default: 1, range: 0...Int.max, rangeText: "≥ 0")
        let replicates = top.int("replicates", default: 100, range: 1...10_000_000, rangeText: "≥ 1")
        let generations = top.int("generations", default: 100, range: 0...10_000_000, rangeText: "≥ 0")
        let samples = top.int("samples", default: 100, range: 2...Int(Int32.max), rangeText: "≥ 2")
        let rng = top.string("rng", default: GeneratorAlgorithm.default.rawValue,
                             oneOf: GeneratorAlgorithm.allCases.map(\.rawValue)).flatMap(GeneratorAlgorithm.init)

        let model = parseModel(top.child("model"))
        let family = model?.family
        let real = parseReal(top.child("real"))
        let policy = parsePolicy(top.child("policy"), generations: generations)
        let sampling = parseSampling(top.child("sampling"), family: family)
        let heldout = parseHeldout(top, family: family)
        let snapshots = parseOutput(top.child("output"), generations: generations)
        let metricsValue = top.raw("metrics")
        let samplerChoice = top.string("sampler", default: SamplerChoice.auto.rawValue,
                                       oneOf: SamplerChoice.allCases.map(\.rawValue)).flatMap(SamplerChoice.init)
        top.consumeSweep()
        top.finish(allowedKeys: topLevelKeys)

        // Cross-field rules.
        var realFits = false
        if let family, let real {
            realFits = checkRealMatchesFamily(real, family: family, reader: top)
        }
        if realFits, let real, let distribution = real.makeDistribution() {
            do { _ = try RealReference(distribution) } catch {
                top.fail("real", error.description, "parameters whose variance, entropy and quantiles are finite doubles")
            }
        }
        let minimumTraining = family.map { minimumTrainingSize($0, dimension: real?.dimension ?? 1) } ?? 1
        if let samples, let family, real != nil, samples < minimumTraining {
            top.fail("samples", String(samples), "at least \(minimumTraining) \(minimumTrainingReason(family, dimension: real?.dimension ?? 1))")
        } else if let policy, let samples, let generations, generations >= 1, let family, real != nil {
            // (Skipped when samples itself is too small: the same fault, reported once.)
            checkTrainingSizes(policy: policy, samples: samples, generations: generations,
                               minimum: minimumTraining, reason: minimumTrainingReason(family, dimension: real?.dimension ?? 1),
                               reader: top)
        }
        let available = (family != nil && real != nil && realFits) ? MetricName.available(model: family!, real: real!) : []
        let metrics = parseMetrics(metricsValue, available: available, reader: top)

        guard sink.errors.isEmpty, let name, let seed, let replicates, let generations, let samples,
              let rng, let model, let real, let policy, let sampling, let metrics, let snapshots,
              let samplerChoice else {
            throw ConfigErrors(errors: sink.errors)
        }
        var config = ExperimentConfig(name: name, seed: UInt64(seed), replicates: replicates,
                                      generations: generations, samples: samples, rng: rng, model: model,
                                      real: real, policy: policy, sampling: sampling, heldout: heldout,
                                      metrics: metrics, snapshots: snapshots)
        switch samplerChoice {
        case .samples: config.sampler = .samples
        case .auto: config.sampler = config.statisticsAvailable ? .statistics : .samples
        case .statistics:
            if let reason = config.statisticsUnavailableReason {
                throw ConfigErrors(errors: [ConfigError(
                    field: "sampler", value: "'statistics'",
                    allowed: "samples or auto here: \(reason)")])
            }
            config.sampler = .statistics
        }
        return config
    }

    /// The real distributions each family can be fitted to.
    static func realDistributions(for family: ModelConfig.Family) -> [String] {
        switch family {
        case .gaussian, .kde, .gmm: return ["normal", "student_t", "mixture"]
        case .categorical: return ["uniform", "zipf", "categorical"]
        case .linearRegression: return ["linear"]
        }
    }

    static func checkRealMatchesFamily(_ real: RealDataConfig, family: ModelConfig.Family,
                                       reader: ConfigReader) -> Bool {
        let allowed = realDistributions(for: family)
        if allowed.contains(real.name) { return true }
        reader.fail("real.distribution", "'\(real.name)' with model.family \(family.rawValue)",
                    "one of \(allowed.joined(separator: ", ")) for model.family \(family.rawValue)")
        return false
    }

    /// Smallest training set a family can fit.
    static func minimumTrainingSize(_ family: ModelConfig.Family, dimension d: Int) -> Int {
        family == .categorical ? 1 : d + 1
    }

    static func minimumTrainingReason(_ family: ModelConfig.Family, dimension d: Int) -> String {
        switch family {
        case .categorical: return "(a categorical model needs at least one observation)"
        case .linearRegression:
            return "(dimension + 1) to fit \(d) weights by least squares and estimate the noise"
        case .gaussian, .kde, .gmm:
            return "(dimension + 1) to fit a full covariance in dimension \(d)"
        }
    }

    static func parseHeldout(_ top: ConfigReader, family: ModelConfig.Family?) -> Int? {
        guard family == .kde || family == .gmm else {
            if let family, top.has("heldout") {
                top.fail("heldout", "a value with model.family \(family.rawValue)", "heldout only with model.family kde or gmm")
            }
            _ = top.raw("heldout")
            return nil
        }
        return top.int("heldout", default: 1000, range: 1...Int(Int32.max), rangeText: "≥ 1")
    }

    // MARK: Sections

    static func parsePolicy(_ r: ConfigReader, generations: Int?) -> TrainingPolicy? {
        let kindName = r.string("kind", default: "replace", oneOf: TrainingPolicy.Kind.allCases.map(\.rawValue))
        let kind = kindName.flatMap(TrainingPolicy.Kind.init)
        let mixOnly = ["real_fraction", "real_source", "synthetic_size"]
        guard let kind, kind == .mix else {
            // Not mix (or an unknown kind, already reported): mix's keys do not apply.
            if let kind {
                for key in mixOnly where r.has(key) {
                    r.fail(key, "a value with policy.kind \(kind.rawValue)", "\(key) only with policy.kind mix")
                }
            }
            for key in mixOnly { _ = r.raw(key) }
            r.finish(allowedKeys: ["kind"] + mixOnly)
            return kind.map { TrainingPolicy(kind: $0) }
        }
        let fraction = parseSchedule(r, generations: generations)
        let source = r.string("real_source", default: "fixed",
                              oneOf: TrainingPolicy.RealSource.allCases.map(\.rawValue))
        let hasSynthetic = r.has("synthetic_size")
        let synthetic = r.int("synthetic_size", default: -1, range: 0...Int(Int32.max), rangeText: "≥ 0")
        r.finish(allowedKeys: ["kind"] + mixOnly)
        guard let fraction, let source = source.flatMap(TrainingPolicy.RealSource.init),
              let synthetic else { return nil }
        return TrainingPolicy(kind: kind, realFraction: fraction, realSource: source,
                              syntheticSize: hasSynthetic ? synthetic : nil)
    }

    static func parseSchedule(_ r: ConfigReader, generations: Int?) -> RealFractionSchedule? {
        let allowed = "a number in [0, 1], a list of one such number per generation 1…G, or {from, to}"
        guard let v = r.raw("real_fraction") else {
            r.fail("real_fraction", "nothing", allowed + " (policy.kind mix needs it)")
            return nil
        }
        let inUnit: (Double) -> Bool = { $0 >= 0 && $0 <= 1 }
        switch v {
        case .list:
            guard let list = r.doublesFrom(v, key: "real_fraction", allowed: allowed, valid: inUnit) else { return nil }
            if let generations, list.count != generations {
                r.fail("real_fraction", "a list of \(list.count) values",
                       "exactly one value per generation 1…\(generations) (\(generations) values)")
                return nil
            }
            return .perGeneration(list)
        case .map:
            let ramp = r.child("real_fraction")
            let from = ramp.double("from", allowed: "a number in [0, 1]", valid: inUnit)
            let to = ramp.double("to", allowed: "a number in [0, 1]", valid: inUnit)
            ramp.finish(allowedKeys: ["from", "to"])
            guard let from, let to else { return nil }
            return .ramp(from: from, to: to)
        default:
            return ConfigReader.number(v, field: r.field("real_fraction"), allowed: allowed,
                                       valid: inUnit, sink: r.sinkForNested).map(RealFractionSchedule.constant)
        }
    }

    static func checkTrainingSizes(policy: TrainingPolicy, samples: Int, generations: Int,
                                   minimum: Int, reason: String, reader: ConfigReader) {
        for t in 1...generations {
            let size = policy.trainingSize(generation: t, generations: generations, samples: samples)
            if size < minimum {
                reader.fail("policy", "a training set of \(size) points at generation \(t)",
                            "at least \(minimum) points \(reason) in every training set; raise real_fraction or synthetic_size")
                return
            }
            if policy.kind != .mix { return }
        }
    }

    static func parseMetrics(_ v: JSONValue?, available: [MetricName], reader: ConfigReader) -> [MetricName]? {
        guard let v else { return available }
        let allowed = "a list of metric names from: \(available.map(\.rawValue).joined(separator: ", "))"
        guard case .list(let items) = v, !items.isEmpty else {
            reader.fail("metrics", v.shortDescription, allowed)
            return nil
        }
        var out: Set<MetricName> = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item, let m = MetricName(rawValue: s), available.contains(m) else {
                reader.fail("metrics[\(i)]", item.shortDescription, allowed)
                return nil
            }
            out.insert(m)
        }
        return out.sorted()
    }
}
