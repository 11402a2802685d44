import Foundation

/// Turns config text (YAML or JSON) plus `--set key.path=value` overrides into a
/// validated ``ExperimentConfig``, or throws ``ConfigErrors`` naming every bad field,
/// the value it got and what is allowed.
public enum ConfigLoader {
    /// Loads a config file.
    public static func load(path: String, overrides: [String] = [], registry: Registry = .standard) throws -> ExperimentConfig {
        try parse(text: readFile(path), source: path, overrides: overrides, registry: registry,
                  baseDirectory: directory(of: path))
    }

    /// `baseDirectory` is where relative file paths (`real.file`) start: the config
    /// file's folder; by default the current directory.
    public static func parse(text: String, source: String = "config", overrides: [String] = [],
                             registry: Registry = .standard,
                             baseDirectory: String = FileManager.default.currentDirectoryPath) throws -> ExperimentConfig {
        try validate(tree(text: text, source: source, overrides: overrides), registry: registry,
                     baseDirectory: baseDirectory)
    }

    /// The absolute folder holding `path`.
    public static func directory(of path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
    }

    /// The text of a config file, or the error naming it.
    public static func readFile(_ path: String) throws -> String {
        // Refused before it is read: a config is never larger than the guard allows.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
           size > YAMLGuard.maximumBytes {
            throw ConfigErrors(errors: [ConfigError(field: "CONFIG", value: "'\(path)' of \(size) bytes",
                                                    allowed: "a config file of at most \(YAMLGuard.maximumBytes) bytes (1 MiB)")])
        }
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
            try YAMLGuard.checkSize(text, source: source)
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
            try YAMLGuard.checkSize(valueText, source: "--set \(key)")
            let value = try JSONValue.parseYAML(valueText, source: "--set \(key)")
            try tree.set(path: path, to: valueText.isEmpty ? .null : value, fullPath: key)
        }
    }

    static let topLevelKeys = ["name", "seed", "replicates", "generations", "samples", "rng",
                               "model", "real", "policy", "sampling", "heldout", "privacy", "utility", "output", "metrics", "sampler", "sweep", "zip"]

    /// Validates a parsed tree against the families, real-data kinds and policies of
    /// `registry`.
    public static func validate(_ tree: JSONValue, registry: Registry = .standard,
                                baseDirectory: String = FileManager.default.currentDirectoryPath) throws -> ExperimentConfig {
        let sink = ErrorSink()
        let top = ConfigReader(tree, path: "", sink: sink, baseDirectory: baseDirectory)

        let name = top.string("name", default: "experiment")
        if let name, name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || "-_.".contains($0)) })
            || name.hasPrefix(".") {
            top.fail("name", "'\(name)'", "letters, digits, '-', '_' and '.' (not leading), since it names the output folder")
        }
        let seed = top.int("seed", default: 1, range: 0...Int.max)
        let replicates = top.int("replicates", default: 100, range: 1...10_000_000)
        let generations = top.int("generations", default: 100, range: 0...10_000_000)
        let samples = top.int("samples", default: 100, range: 2...Int(Int32.max))
        let rng = top.string("rng", default: GeneratorAlgorithm.default.rawValue,
                             oneOf: GeneratorAlgorithm.allCases.map(\.rawValue)).flatMap(GeneratorAlgorithm.init)

        let model = parseModel(top.child("model"), registry: registry)
        let family = model?.descriptor
        let real = parseReal(top.child("real"), registry: registry)
        var policy = parsePolicy(top.child("policy"), generations: generations, registry: registry)
        let sampling = parseSampling(top.child("sampling"), family: family, registry: registry)
        let outputReader = top.child("output")
        let collapse = parseCollapse(outputReader)
        let metricsFile = outputReader.string("metrics_file", default: MetricsFileForm.csv.rawValue,
                                              oneOf: MetricsFileForm.allCases.map(\.rawValue)).flatMap(MetricsFileForm.init)
        let snapshots = parseOutput(outputReader, generations: generations)
        let privacyGiven = top.has("privacy")
        let privacy = privacyGiven ? PrivacyConfig.parse(top.child("privacy")) : PrivacyConfig()
        let utilityGiven = top.has("utility")
        let utilityWritten = utilityGiven ? UtilityConfig.parse(top.child("utility"))
            : (model: nil, heldout: nil, minGroup: UtilityConfig.defaultMinGroup, ok: true)
        let metricsValue = top.raw("metrics")
        let samplerChoice = top.string("sampler", default: SamplerChoice.auto.rawValue,
                                       oneOf: SamplerChoice.allCases.map(\.rawValue)).flatMap(SamplerChoice.init)
        top.consumeSweep()

        // Cross-field rules.
        var realFits = false
        if let family, let real {
            realFits = checkRealMatchesFamily(real, family: family, reader: top)
            if realFits, let options = model?.options, let problem = family.configProblem(options: options, real: real) {
                sink.add(problem)
                realFits = false
            }
        }
        if realFits, let real, family?.needsRealReference(real) ?? true, case .failure(let problem)? = real.referenceResult {
            top.fail("real", problem.description, real.spec.population != nil
                         ? "columns with finite values, a positive-definite covariance and distinct 1% and 99% quantiles"
                         : "parameters whose variance, entropy and quantiles are finite doubles")
        }
        if realFits, let real, let family, let unbound = policy {
            policy = bindSteps(unbound, binding: StepBinding(real: real, family: family.name), sink: sink)
        }
        let available = (family != nil && real != nil && realFits) ? family!.metrics(real: real!) + StepMetrics.infos : []
        // The privacy (and utility) metrics give a family a held-out sample, but only when
        // one is requested: the other configs keep their resolved config and hash.
        let named: Set<String> = { if case .list(let items)? = metricsValue { return Set(items.compactMap(\.asString)) }; return [] }()
        let heldoutUsers = available.filter {
            (!PrivacyConfig.metrics.contains($0.name) && !UtilityConfig.metrics.contains($0.name)) || named.contains($0.name.rawValue)
        }
        let heldout = parseHeldout(top, family: family, available: heldoutUsers, real: realFits ? real : nil,
                                   registry: registry)
        top.finish(allowedKeys: topLevelKeys)
        let minimum = family.map { $0.minimumTrainingSize(dimension: real?.dimension ?? 1) }
        if let samples, let minimum, real != nil, samples < minimum.size {
            top.fail("samples", String(samples), "at least \(minimum.size) \(minimum.reason)")
        } else if let policy, let samples, let generations, generations >= 1, let minimum, real != nil {
            // (Skipped when samples itself is too small: the same fault, reported once.)
            checkTrainingSizes(policy: policy.rule, samples: samples, generations: generations,
                               minimum: minimum.size, reason: minimum.reason, reader: top)
        }
        var unavailable = (family != nil && real != nil && realFits) ? family!.unavailableMetrics(real: real!) : [:]
        if let family, realFits {
            // The utility metrics exist for the families of tables only.
            let offered = Set(available.map(\.name))
            for name in UtilityConfig.metrics where !offered.contains(name) && unavailable[name] == nil {
                unavailable[name] = "\(name.rawValue) needs a family that generates tables on real.distribution: table (model.family copula, or external with data: table); model.family \(family.name) does not"
            }
        }
        // Without a valid family and real data there is nothing to check metric names
        // against (that fault is reported already).
        let metrics = family != nil && real != nil && realFits
            ? parseMetrics(metricsValue, available: available.map(\.name).sorted(), unavailable: unavailable, reader: top)
            : nil
        let utilityRequested = metrics.map { !UtilityConfig.metrics.isDisjoint(with: $0) } ?? false
        var utility: UtilityConfig?
        if let metrics, let real, utilityWritten.ok {
            utility = checkUtility(utilityWritten, given: utilityGiven, metrics: metrics, real: real, heldout: heldout,
                                   reader: top)
        }
        if let real, let family, let population = family.population(of: real), realFits, let samples, let generations,
           let policy {
            // The held-out sample is drawn only when a requested metric needs it.
            let drawsHeldout = metrics.map { names in available.contains { names.contains($0.name) && $0.needs.contains(.heldout) } } ?? false
            let draw = heldout.map { max($0, utilityRequested ? utility?.heldout ?? 0 : 0) }
            checkPopulation(population, samples: samples, heldout: drawsHeldout ? draw : nil,
                            heldoutName: draw != heldout ? "utility.heldout" : "heldout", generations: generations,
                            policy: policy.rule, reader: top)
        }

        if let threshold = collapse.threshold, let metrics { checkCollapseMetric(threshold, metrics: metrics, reader: top) }
        let privacyRequested = metrics.map { !PrivacyConfig.metrics.isDisjoint(with: $0) } ?? false
        if let metrics, let privacy {
            checkPrivacy(privacy, given: privacyGiven, metrics: metrics, samples: samples, heldout: heldout, reader: top)
        }

        guard sink.errors.isEmpty, collapse.ok, utilityWritten.ok, let name, let seed, let replicates, let generations, let samples,
              let rng, let model, let real, let policy, let sampling, let metrics, let snapshots,
              let metricsFile, let samplerChoice else {
            throw ConfigErrors(errors: sink.errors)
        }
        var config = ExperimentConfig(name: name, seed: UInt64(seed), replicates: replicates,
                                      generations: generations, samples: samples, rng: rng, model: model,
                                      real: real, policy: policy, sampling: sampling, heldout: heldout,
                                      metrics: metrics, snapshots: snapshots, collapse: collapse.threshold)
        config.metricsFile = metricsFile
        if privacyGiven || privacyRequested { config.privacy = privacy }
        if utilityGiven || utilityRequested { config.utility = utility }
        if let problem = model.descriptor.configProblem(config) { throw ConfigErrors(errors: [problem]) }
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

    /// `privacy:` needs a privacy metric; the attacks need `samples` held-out
    /// non-members, and `density_ratio` as many again as its reference sample.
    static func checkPrivacy(_ privacy: PrivacyConfig, given: Bool, metrics: [MetricName], samples: Int?, heldout: Int?,
                             reader: ConfigReader) {
        let requested = metrics.filter { PrivacyConfig.metrics.contains($0) }
        if given, requested.isEmpty {
            reader.fail("privacy", "a block with no privacy metric requested",
                        "privacy only with one of \(PrivacyConfig.metrics.map(\.rawValue).sorted().joined(separator: ", ")) in metrics")
            return
        }
        let needsNonMembers = requested.contains { $0 != .dcrBaselineProtection && $0 != .authenticity }
        guard needsNonMembers, let samples, let heldout else { return }
        let attacks = requested.contains { PrivacyConfig.attackMetrics.contains($0) }
        let needed = attacks && privacy.attack == .densityRatio ? 2 * samples : samples
        if heldout < needed {
            reader.fail("heldout", String(heldout),
                        "at least \(needed) for \(requested.map(\.rawValue).joined(separator: ", "))\(needed > samples ? " with privacy.attack density_ratio" : ""): the non-members are the first samples (\(samples)) held-out points\(needed > samples ? ", its reference sample the next \(samples)" : "")")
        }
    }

    /// `utility:` needs a utility metric; its model is the label's (`logistic` for a
    /// binary label, `linear` for a numeric one) and computes only its own metrics; its
    /// held-out size defaults to `heldout`. Nil (errors reported) when something is wrong.
    static func checkUtility(_ written: (model: UtilityConfig.Model?, heldout: Int?, minGroup: Int, ok: Bool), given: Bool,
                             metrics: [MetricName], real: RealDataConfig, heldout: Int?,
                             reader: ConfigReader) -> UtilityConfig? {
        let requested = metrics.filter { UtilityConfig.metrics.contains($0) }
        if requested.isEmpty {
            if given {
                reader.fail("utility", "a block with no utility metric requested",
                            "utility only with one of \(UtilityConfig.metrics.map(\.rawValue).sorted().joined(separator: ", ")) in metrics")
            }
            return nil
        }
        // The metrics are available, so the label is a modelled binary or numeric column.
        guard case .success(let columns) = UtilityMetrics.labelColumns(real: real) else { return nil }
        let kind = columns.numericLabel ? "numeric" : "categorical"
        let model = written.model ?? (columns.binary != nil ? .logistic : .linear)
        switch model {
        case .logistic where columns.binary == nil:
            reader.fail("utility.model", "'logistic'",
                        "linear here: logistic needs a binary real.label, and \(columns.labelName) is \(kind) with \(columns.labelValues) values")
            return nil
        case .linear where !columns.numericLabel:
            reader.fail("utility.model", "'linear'",
                        "logistic here: linear needs a numeric real.label, and \(columns.labelName) is categorical")
            return nil
        default: break
        }
        let own = UtilityConfig.metrics(of: model)
        if let foreign = requested.first(where: { !own.contains($0) }) {
            let other: UtilityConfig.Model = model == .logistic ? .linear : .logistic
            reader.fail("metrics", "'\(foreign.rawValue)' with utility.model \(model.rawValue)",
                        "\(foreign.rawValue) only with utility.model \(other.rawValue); with \(model.rawValue): \(own.map(\.rawValue).sorted().joined(separator: ", "))")
            return nil
        }
        guard let size = written.heldout ?? heldout else { return nil }
        return UtilityConfig(model: model, heldout: size, minGroup: written.minGroup)
    }

    static func checkRealMatchesFamily(_ real: RealDataConfig, family: any FamilyDescriptor,
                                       reader: ConfigReader) -> Bool {
        let allowed = family.realKinds
        if allowed.contains(real.name) {
            guard let problem = family.realDataProblem(real) else { return true }
            reader.fail("real.\(problem.key)", problem.value, problem.allowed)
            return false
        }
        reader.fail("real.distribution", "'\(real.name)' with model.family \(family.name)",
                    "one of \(allowed.joined(separator: ", ")) for model.family \(family.name)")
        return false
    }

    /// `heldout` applies when one of the family's metrics needs a held-out sample.
    static func parseHeldout(_ top: ConfigReader, family: (any FamilyDescriptor)?, available: [MetricInfo],
                             real: RealDataConfig?, registry: Registry) -> Int? {
        guard available.contains(where: { $0.needs.contains(.heldout) }) else {
            if let family, let real, top.has("heldout") {
                // Families whose default metrics need one; the privacy metrics are asked for by name.
                let users = registry.families.filter { f in
                    f.realKinds.contains(real.name) && f.metrics(real: real).contains { $0.needs.contains(.heldout) && $0.name.isDefault }
                }.map(\.name)
                let privacy = family.metrics(real: real).filter { $0.needs.contains(.heldout) && !$0.name.isDefault }.map(\.name.rawValue)
                let base = users.isEmpty ? "no heldout here (no metric needs a held-out sample)"
                    : "heldout only with model.family \(users.joined(separator: " or "))"
                top.fail("heldout", "a value with model.family \(family.name)",
                         privacy.isEmpty ? base : base + ", or with one of \(privacy.sorted().joined(separator: ", ")) in metrics")
            }
            _ = top.raw("heldout")
            return nil
        }
        return top.int("heldout", default: 1000, range: 1...Int(Int32.max))
    }

    // MARK: Sections

    static func parseModel(_ r: ConfigReader, registry: Registry) -> ModelConfig? {
        let names = registry.families.map(\.name)
        let familyName = r.string("family", default: "gaussian", oneOf: names)
        guard let family = familyName.flatMap(registry.family(named:)) else {
            for other in registry.families { for key in other.keys { _ = r.raw(key) } }
            r.finish()
            return nil
        }
        rejectForeignKeys(r, selector: "model.family", chosen: family.name, own: family.keys,
                          owners: registry.families.map { ($0.name, $0.keys) })
        let options = family.parse(r)
        r.finish(allowedKeys: ["family"] + family.keys)
        return options.map { ModelConfig(descriptor: family, options: $0) }
    }

    /// A key that belongs to other choices of `selector` (`model.family`, `policy.kind`)
    /// than `chosen` is one error naming the choices it belongs to; with no valid choice
    /// (already reported) such keys are read silently.
    static func rejectForeignKeys(_ r: ConfigReader, selector: String, chosen: String?, own: [String],
                                  owners: [(name: String, keys: [String])]) {
        let own = Set(own)
        var users: [String: [String]] = [:]
        for owner in owners where owner.name != chosen {
            for key in owner.keys where !own.contains(key) && r.has(key) { users[key, default: []].append(owner.name) }
        }
        for (key, names) in users.sorted(by: { $0.key < $1.key }) {
            _ = r.raw(key)
            if let chosen { r.fail(key, "a value with \(selector) \(chosen)", "\(key) only with \(selector) \(names.joined(separator: " or "))") }
        }
    }

    static func parseReal(_ r: ConfigReader, registry: Registry) -> RealDataConfig? {
        let name = r.string("distribution", default: "normal", oneOf: registry.realKinds.map(\.name))
        guard let kind = name.flatMap(registry.realKind(named:)) else {
            r.finish(allowedKeys: ["distribution"])
            return nil
        }
        return kind.parse(r).map(RealDataConfig.init)
    }

    static func parseSampling(_ r: ConfigReader, family: (any FamilyDescriptor)?, registry: Registry) -> SamplingConfig? {
        let t = r.double("temperature", default: 1, allowed: "a number > 0") { $0 > 0 }
        let truncation = SamplingConfig.truncationKeys
        if let family {
            for key in truncation where r.has(key) && !family.samplingKeys.contains(key) {
                let users = registry.families.filter { $0.samplingKeys.contains(key) }.map(\.name)
                r.fail(key, "a value with model.family \(family.name)",
                       "\(key) only with model.family \(users.joined(separator: " or "))")
            }
        }
        let k = r.int("top_k", default: 0, range: 0...Int(Int32.max), note: "0 keeps every category")
        let p = r.double("top_p", default: 1, allowed: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
        r.finish(allowedKeys: ["temperature"] + truncation)
        guard let t, let k, let p else { return nil }
        return SamplingConfig(temperature: t, topK: k, topP: p)
    }

    static func parsePolicy(_ r: ConfigReader, generations: Int?, registry: Registry) -> PolicyConfig? {
        let kindName = r.string("kind", default: "replace", oneOf: registry.policies.map(\.name))
        let kind = kindName.flatMap(registry.policy(named:))
        var allKeys: [String] = []
        for p in registry.policies { for key in p.keys where !allKeys.contains(key) { allKeys.append(key) } }
        rejectForeignKeys(r, selector: "policy.kind", chosen: kind?.name, own: kind?.keys ?? [],
                          owners: registry.policies.map { ($0.name, $0.keys) })
        let rule = kind?.parse(r, generations: generations)
        var steps: [any TrainingStep] = []
        var stepsOK = true
        for stepKind in registry.steps where r.has(stepKind.key) {
            if let step = stepKind.parse(r.child(stepKind.key)) { steps.append(step) } else { stepsOK = false }
        }
        r.finish(allowedKeys: ["kind"] + allKeys + registry.steps.map(\.key))
        guard let rule, stepsOK else { return nil }
        return PolicyConfig(rule, steps: steps)
    }

    /// The policy with its steps bound to the run's real data; nil (with the errors
    /// recorded) when a step does not fit it.
    static func bindSteps(_ policy: PolicyConfig, binding: StepBinding, sink: ErrorSink) -> PolicyConfig? {
        var bound: [any TrainingStep] = []
        for step in policy.steps {
            switch step.bind(binding) {
            case .success(let b): bound.append(b)
            case .failure(let e): sink.add(e)
            }
        }
        return bound.count == policy.steps.count ? PolicyConfig(policy.rule, steps: bound) : nil
    }

    static func checkTrainingSizes(policy: any TrainingPolicy, samples: Int, generations: Int,
                                   minimum: Int, reason: String, reader: ConfigReader) {
        for t in 1...generations {
            let size = policy.trainingSize(generation: t, generations: generations, samples: samples)
            if size < minimum {
                reader.fail("policy", "a training set of \(size) points at generation \(t)",
                            "at least \(minimum) points \(reason) in every training set; raise real_fraction or synthetic_size")
                return
            }
        }
    }

    /// A file must hold every real row (or token) a chain draws: R₀, the held-out
    /// sample and every `fresh` draw, since a chain never reuses one.
    static func checkPopulation(_ population: RealPopulation, samples: Int, heldout: Int?,
                                heldoutName: String = "heldout", generations: Int,
                                policy: any TrainingPolicy, reader: ConfigReader) {
        var parts = ["samples \(samples)"]
        var needed = samples, draws = 1
        if let heldout {
            needed += heldout
            draws += 1
            parts.append("\(heldoutName) \(heldout)")
        }
        var fresh = 0
        for t in stride(from: 1, through: generations, by: 1) {
            let k = policy.freshRealCount(generation: t, generations: generations, samples: samples)
            if k > 0 {
                fresh += k
                draws += 1
            }
        }
        if fresh > 0 {
            needed += fresh
            parts.append("fresh real data \(fresh) over \(generations) generations")
        }
        let waste = population.wastePerDraw * draws
        guard needed + waste > population.units else { return }
        let slack = waste > 0 ? ", plus up to \(waste) cut from the last document of each of \(draws) draws" : ""
        reader.fail("samples", "a config that needs \(needed) \(population.unitName) per chain (\(parts.joined(separator: " + "))\(slack))",
                    "at most the \(population.units) \(population.unitName) '\(population.file)' holds: a chain draws real data without replacement; lower samples, \(heldoutName) or the fresh real fraction")
    }

    static func parseMetrics(_ v: JSONValue?, available: [MetricName], unavailable: [MetricName: String] = [:],
                             reader: ConfigReader) -> [MetricName]? {
        // Without a list: every metric but the privacy ones (whose attacks cost a
        // nearest-neighbour search each generation, and which are asked for by name).
        guard let v else { return available.filter(\.isDefault) }
        let allowed = "a list of metric names from: \(available.map(\.rawValue).joined(separator: ", "))"
        guard case .list(let items) = v, !items.isEmpty else {
            reader.fail("metrics", v.shortDescription, allowed)
            return nil
        }
        var out: Set<MetricName> = []
        for (i, item) in items.enumerated() {
            if case .string(let s) = item, let m = MetricName(rawValue: s), let reason = unavailable[m] {
                reader.fail("metrics[\(i)]", item.shortDescription, "a metric this real data supports: \(reason)")
                return nil
            }
            guard case .string(let s) = item, let m = MetricName(rawValue: s), available.contains(m) else {
                reader.fail("metrics[\(i)]", item.shortDescription, allowed)
                return nil
            }
            out.insert(m)
        }
        return out.sorted()
    }
}
