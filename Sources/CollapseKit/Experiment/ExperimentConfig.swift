import Foundation

/// A fully resolved, validated experiment: every default filled in. Build one with
/// ``ConfigLoader``; ``jsonValue`` gives the resolved config back as a tree.
public struct ExperimentConfig: Equatable, Sendable {
    public var name: String
    public var seed: UInt64
    public var replicates: Int
    public var generations: Int
    public var samples: Int
    public var rng: GeneratorAlgorithm
    public var model: ModelConfig
    public var real: RealDataConfig
    public var policy: PolicyConfig
    public var sampling: SamplingConfig
    /// Size of the held-out real sample drawn once per chain when a requested metric
    /// needs one; nil for families none of whose metrics do.
    public var heldout: Int?
    /// The metrics to compute, sorted by name.
    public var metrics: [MetricName]
    /// `output.snapshots`: generations whose output batch (of replicate 0) goes to
    /// `samples.csv`, ascending; empty for none.
    public var snapshots: [Int] = []
    /// `output.collapse`: the threshold whose first crossing is each chain's
    /// `threshold_crossed` event; nil for none.
    public var collapse: CollapseThreshold?
    /// `privacy:`: how the membership-inference metrics attack; nil when no privacy
    /// metric is requested and no block was given (not written, so hashes stay).
    public var privacy: PrivacyConfig?
    /// `utility:`: the downstream model of the utility metrics and its test rows; nil
    /// when no utility metric is requested and no block was given (not written).
    public var utility: UtilityConfig?
    /// `output.metrics_file`: the form of the per-replicate table (not hashed).
    public var metricsFile: MetricsFileForm = .csv
    /// `sampler`, resolved: what `auto` chose, or what was asked for (see ``SamplerChoice``).
    public var sampler: Sampler = .samples

    public var dimension: Int { real.dimension }

    /// The held-out rows a chain draws when a metric needs them: `heldout`, or more when
    /// `utility.heldout` asks for more (the other metrics read the first `heldout`).
    public var heldoutDraw: Int? {
        guard let heldout else { return nil }
        return max(heldout, utility?.heldout ?? 0)
    }
}

/// `sampling:` — the bias applied when a model generates.
public struct SamplingConfig: Equatable, Sendable {
    /// λ > 0. Gaussian and GMM sample with covariances λΣ, KDE with bandwidth λh, the
    /// categorical model from p^(1/λ) renormalised, linear regression with label noise
    /// variance λσ².
    public var temperature: Double
    /// Categorical only: keep the k most probable categories (0 = all).
    public var topK: Int
    /// Categorical only: keep the smallest set of most probable categories whose mass
    /// reaches p (nucleus truncation, Holtzman et al. 2020); 1 = all.
    public var topP: Double

    public init(temperature: Double, topK: Int = 0, topP: Double = 1) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// The sampling keys besides `temperature` that families may declare.
    static let truncationKeys = ["top_k", "top_p"]

    func jsonEntry(_ key: String) -> JSONValue? {
        switch key {
        case "top_k": return .int(topK)
        case "top_p": return .double(topP)
        default: return nil
        }
    }
}

// MARK: - Resolved config as a tree

extension ExperimentConfig {
    /// The resolved config (every default explicit), in the same shape a config file has.
    public var jsonValue: JSONValue {
        var samplingMap: [String: JSONValue] = ["temperature": .double(sampling.temperature)]
        for key in model.descriptor.samplingKeys { if let v = sampling.jsonEntry(key) { samplingMap[key] = v } }
        return .map([
            "name": .string(name),
            "seed": .int(Int(seed)),
            "replicates": .int(replicates),
            "generations": .int(generations),
            "samples": .int(samples),
            "rng": .string(rng.rawValue),
            "model": model.jsonValue,
            "real": real.jsonValue,
            "policy": policy.jsonValue,
            "sampling": .map(samplingMap),
            "metrics": .list(metrics.map { .string($0.rawValue) }),
        ].merging(optionalSections) { a, _ in a })
    }

    /// Keys written only when set, so configs without them keep their hash.
    private var optionalSections: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        if let heldout { out["heldout"] = .int(heldout) }
        if let privacy { out["privacy"] = privacy.jsonValue }
        if let utility { out["utility"] = utility.jsonValue }
        var output: [String: JSONValue] = [:]
        if !snapshots.isEmpty { output["snapshots"] = .list(snapshots.map(JSONValue.int)) }
        if let collapse { output["collapse"] = collapse.jsonValue }
        if metricsFile != .csv { output["metrics_file"] = .string(metricsFile.rawValue) }
        if !output.isEmpty { out["output"] = .map(output) }
        // Written only where the exact-statistics sampler could run (so also for an
        // explicit `samples` there), so the configs that can only be sampled keep the
        // hash they had before `sampler` existed; reading the resolved config back
        // always gives the same sampler. (A config that could run on statistics has a
        // new hash, so its older result folders are refused rather than resumed.)
        if statisticsAvailable { out["sampler"] = .string(sampler.rawValue) }
        return out
    }

    /// FNV-1a 64-bit hash of the canonical (sorted-key, compact) JSON of the resolved
    /// config, as 16 hex digits: equal configs, equal hashes.
    public var hash: String { Hashing.hex(Hashing.fnv1a64(hashedValue.jsonText(pretty: false))) }

    /// ``jsonValue`` without `output.metrics_file` and without the model keys that do not
    /// change the values (``FamilyOptions/unhashedKeys``, e.g. an external generator's
    /// `timeout`): how the values are written out, or how long collapse waits for them, is
    /// not part of what they are, so shards in different forms merge, and a folder may be
    /// resumed in another form or with another timeout.
    var hashedValue: JSONValue {
        var copy = self
        copy.metricsFile = .csv
        guard case .map(var map) = copy.jsonValue, case .map(var model)? = map["model"] else { return copy.jsonValue }
        for key in model.keys where copy.model.options.unhashedKeys.contains(key) { model[key] = nil }
        map["model"] = .map(model)
        return .map(map)
    }
}
