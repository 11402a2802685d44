import Foundation

/// Turns config text (YAML or JSON) plus `--set key.path=value` overrides into a
/// validated ``ExperimentConfig``, or throws ``ConfigErrors`` naming every bad field,
/// the value it got and what is allowed.
public enum ConfigLoader {
    /// Loads a config file.
    public static func load(path: String, overrides: [String] = []) throws -> ExperimentConfig {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else {
            throw ConfigErrors(errors: [ConfigError(field: "CONFIG", value: "'\(path)'",
                                                    allowed: "a readable UTF-8 YAML or JSON file")])
        }
        return try parse(text: text, source: path, overrides: overrides)
    }

    public static func parse(text: String, source: String = "config",
                             overrides: [String] = []) throws -> ExperimentConfig {
        var tree: JSONValue
        do {
            tree = try JSONValue.parseYAML(text, source: source)
            try applyOverrides(overrides, to: &tree)
        } catch let e as ConfigError {
            throw ConfigErrors(errors: [e])
        }
        return try validate(tree)
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
                               "model", "real", "policy", "sampling", "metrics"]

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
        let real = parseReal(top.child("real"))
        let policy = parsePolicy(top.child("policy"), generations: generations)
        let sampling = parseSampling(top.child("sampling"))
        let metricsValue = top.raw("metrics")
        top.finish(allowedKeys: topLevelKeys)

        // Cross-field rules.
        if let real {
            do { _ = try RealReference(real.makeDistribution()) } catch {
                top.fail("real", error.description, "parameters whose variance, entropy and quantiles are finite doubles")
            }
        }
        let dimension = real?.dimension ?? 1
        if let samples, real != nil, samples < dimension + 1 {
            top.fail("samples", String(samples),
                     "at least \(dimension + 1) (dimension + 1) to fit a full covariance in dimension \(dimension)")
        }
        if let policy, let samples, let generations, generations >= 1 {
            checkTrainingSizes(policy: policy, samples: samples, generations: generations,
                               dimension: dimension, reader: top)
        }
        let family = model.map { _ in GaussianFamily(dimension: dimension, estimator: .mle, temperature: 1) }
        let metrics = parseMetrics(metricsValue, available: family?.availableMetrics ?? [], reader: top)

        guard sink.errors.isEmpty, let name, let seed, let replicates, let generations, let samples,
              let rng, let model, let real, let policy, let sampling, let metrics else {
            throw ConfigErrors(errors: sink.errors)
        }
        return ExperimentConfig(name: name, seed: UInt64(seed), replicates: replicates,
                                generations: generations, samples: samples, rng: rng, model: model,
                                real: real, policy: policy, sampling: sampling, metrics: metrics)
    }

    // MARK: Sections

    static func parseModel(_ r: ConfigReader) -> ModelConfig? {
        let family = r.string("family", default: "gaussian", oneOf: ModelConfig.Family.allCases.map(\.rawValue))
        let estimator = r.string("estimator", default: "mle",
                                 oneOf: GaussianFamily.Estimator.allCases.map(\.rawValue))
        r.finish(allowedKeys: ["family", "estimator"])
        guard let family = family.flatMap(ModelConfig.Family.init),
              let estimator = estimator.flatMap(GaussianFamily.Estimator.init) else { return nil }
        return ModelConfig(family: family, estimator: estimator)
    }

    static func parseSampling(_ r: ConfigReader) -> SamplingConfig? {
        let t = r.double("temperature", default: 1, allowed: "a number > 0") { $0 > 0 }
        r.finish(allowedKeys: ["temperature"])
        return t.map(SamplingConfig.init)
    }

    static func parseReal(_ r: ConfigReader) -> RealDataConfig? {
        let kinds = ["normal", "student_t", "mixture"]
        let kind = r.string("distribution", default: "normal", oneOf: kinds)
        switch kind {
        case "normal": return parseNormal(r)
        case "student_t":
            let dof = r.double("dof", allowed: "a number > 2 (the variance must be finite)") { $0 > 2 }
            let loc = r.double("location", default: 0, allowed: "a finite number")
            let scale = r.double("scale", default: 1, allowed: "a number > 0") { $0 > 0 }
            r.finish(allowedKeys: ["distribution", "dof", "location", "scale"])
            guard let dof, let loc, let scale else { return nil }
            return .studentT(dof: dof, location: loc, scale: scale)
        case "mixture":
            let w = r.doubles("weights", allowed: "a list of numbers > 0 summing to 1") { $0 > 0 }
            let m = r.doubles("means", allowed: "a list of finite numbers")
            let s = r.doubles("sds", allowed: "a list of numbers > 0") { $0 > 0 }
            r.finish(allowedKeys: ["distribution", "weights", "means", "sds"])
            for key in ["weights", "means", "sds"] where !r.has(key) {
                r.fail(key, "nothing", "a list with one entry per mixture component")
            }
            guard let w, let m, let s else { return nil }
            if !(w.count == m.count && m.count == s.count) {
                r.fail("weights", "\(w.count) weights, \(m.count) means and \(s.count) sds",
                       "the same number of weights, means and sds")
                return nil
            }
            let total = w.reduce(0, +)
            if abs(total - 1) > 1e-9 {
                r.fail("weights", "weights summing to \(NumberFormat.double(total))", "weights summing to 1")
                return nil
            }
            return .mixture(weights: w, means: m, sds: s)
        default:
            r.finish(allowedKeys: ["distribution"])
            return nil
        }
    }

    static func parseNormal(_ r: ConfigReader) -> RealDataConfig? {
        let explicitDim = r.int("dimension", default: 0, range: 1...10_000, rangeText: "≥ 1")
        let mean = r.doubles("mean", allowed: "a finite number or a list of them")
        let sd = r.doubles("sd", allowed: "a number > 0 or a list of them") { $0 > 0 }
        let covValue = r.raw("covariance")
        r.finish(allowedKeys: ["distribution", "dimension", "mean", "sd", "covariance"])

        var covRows: [[Double]]?
        if let covValue {
            covRows = parseMatrix(covValue, field: r.field("covariance"), reader: r)
            if covRows == nil { return nil }
            if sd != nil {
                r.fail("sd", "both sd and covariance", "one of sd or covariance")
                return nil
            }
        }
        let lengths = [mean.map(\.count), sd.map(\.count), covRows.map(\.count),
                       explicitDim.flatMap { $0 == 0 ? nil : $0 }].compactMap { $0 }.filter { $0 != 1 }
        let d = lengths.max() ?? 1
        if lengths.contains(where: { $0 != d }) {
            r.fail("mean", "lengths \(lengths.map(String.init).joined(separator: ", ")) among dimension, mean, sd and covariance",
                   "one dimension d: lists of length d (a single number is repeated)")
            return nil
        }
        if let e = explicitDim, e != 0, e != d {
            r.fail("dimension", String(e), "\(d), the length of the mean/sd/covariance lists")
            return nil
        }
        let meanVec = mean.map { $0.count == 1 ? [Double](repeating: $0[0], count: d) : $0 }
            ?? [Double](repeating: 0, count: d)
        let covariance: SymmetricMatrix
        if let covRows {
            if covRows.count != d || covRows.contains(where: { $0.count != d }) {
                r.fail("covariance", "a \(covRows.count)-row matrix", "a \(d)×\(d) matrix")
                return nil
            }
            let flat = covRows.flatMap { $0 }
            covariance = SymmetricMatrix(dimension: d, values: flat)
            for i in 0..<d { for j in 0..<d where abs(covariance[i, j] - covariance[j, i]) > 1e-12 * max(1, abs(covariance[i, j])) {
                r.fail("covariance", "[\(i)][\(j)] = \(NumberFormat.double(covariance[i, j])) but [\(j)][\(i)] = \(NumberFormat.double(covariance[j, i]))",
                       "a symmetric matrix")
                return nil
            } }
        } else {
            let sds = sd.map { $0.count == 1 ? [Double](repeating: $0[0], count: d) : $0 }
                ?? [Double](repeating: 1, count: d)
            covariance = .diagonal(sds.map { $0 * $0 })
        }
        guard covariance.cholesky() != nil else {
            let values = covariance.values.map { NumberFormat.double($0) }.joined(separator: ", ")
            if covRows == nil {
                r.fail("sd", "sd values whose squares are \(values)", "sd values whose squares are positive doubles")
            } else {
                r.fail("covariance", values, "a positive-definite matrix")
            }
            return nil
        }
        return .normal(mean: meanVec, covariance: covariance)
    }

    static func parseMatrix(_ v: JSONValue, field: String, reader: ConfigReader) -> [[Double]]? {
        guard case .list(let rows) = v else {
            reader.fail("covariance", v.shortDescription, "a list of rows, e.g. [[1, 0.5], [0.5, 1]]")
            return nil
        }
        var out: [[Double]] = []
        for (i, row) in rows.enumerated() {
            guard case .list(let items) = row else {
                reader.fail("covariance", row.shortDescription, "a list of rows, e.g. [[1, 0.5], [0.5, 1]]")
                return nil
            }
            var numbers: [Double] = []
            for (j, item) in items.enumerated() {
                guard let x = ConfigReader.number(item, field: "\(field)[\(i)][\(j)]", allowed: "a finite number",
                                                  valid: { _ in true }, sink: reader.sinkForNested) else { return nil }
                numbers.append(x)
            }
            out.append(numbers)
        }
        return out
    }

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
                                   dimension: Int, reader: ConfigReader) {
        for t in 1...generations {
            let size = policy.trainingSize(generation: t, generations: generations, samples: samples)
            if size < dimension + 1 {
                reader.fail("policy", "a training set of \(size) points at generation \(t)",
                            "at least \(dimension + 1) points (dimension + 1) in every training set; raise real_fraction or synthetic_size")
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
