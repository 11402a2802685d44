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
    public var policy: TrainingPolicy
    public var sampling: SamplingConfig
    /// Size of the held-out real sample drawn once per chain (kde and gmm only, for
    /// `nll_heldout` and `kl`); nil for the other families.
    public var heldout: Int?
    /// The metrics to compute, sorted by name.
    public var metrics: [MetricName]
    /// `output.snapshots`: generations whose output batch (of replicate 0) goes to
    /// `samples.csv`, ascending; empty for none.
    public var snapshots: [Int] = []
    /// `sampler`, resolved: what `auto` chose, or what was asked for (see ``SamplerChoice``).
    public var sampler: Sampler = .samples

    public var dimension: Int { real.dimension }
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
}

/// `real:` — the ground-truth distribution.
public enum RealDataConfig: Equatable, Sendable {
    case normal(mean: [Double], covariance: SymmetricMatrix)
    case studentT(dof: Double, location: Double, scale: Double)
    case mixture(weights: [Double], means: [Double], sds: [Double])
    /// K equally likely categories.
    case uniform(categories: Int)
    /// p_k ∝ k^(−s), k = 1…K.
    case zipf(categories: Int, exponent: Double)
    /// Explicit category probabilities.
    case categorical(probabilities: [Double])
    /// x ~ N(0, I_d), y = xᵀw* + ε, ε ~ N(0, σ²); w* given or drawn once per chain.
    case linear(dimension: Int, noiseSD: Double, weights: [Double]?)

    /// The config names of the distributions (`real.distribution`).
    public static let names = ["normal", "student_t", "mixture", "uniform", "zipf", "categorical", "linear"]

    public var name: String {
        switch self {
        case .normal: return "normal"
        case .studentT: return "student_t"
        case .mixture: return "mixture"
        case .uniform: return "uniform"
        case .zipf: return "zipf"
        case .categorical: return "categorical"
        case .linear: return "linear"
        }
    }

    /// Dimension of a point (of x for `linear`; 1 for the discrete distributions).
    public var dimension: Int {
        switch self {
        case .normal(let mean, _): return mean.count
        case .linear(let d, _, _): return d
        default: return 1
        }
    }

    /// The distribution object of a continuous distribution, nil for the discrete ones
    /// and `linear` (validated configs only).
    public func makeDistribution() -> (any RealDistribution)? {
        switch self {
        case .normal(let mean, let cov): return NormalDistribution(mean: mean, covariance: cov)!
        case .studentT(let dof, let loc, let scale):
            return StudentTDistribution(dof: dof, location: loc, scale: scale)
        case .mixture(let w, let m, let s): return NormalMixtureDistribution(weights: w, means: m, sds: s)
        case .uniform, .zipf, .categorical, .linear: return nil
        }
    }

    /// Category probabilities of a discrete distribution, nil otherwise.
    public var probabilities: [Double]? {
        switch self {
        case .uniform(let k): return [Double](repeating: 1 / Double(k), count: k)
        case .zipf(let k, let s):
            let raw = (1...k).map { pow(Double($0), -s) }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        case .categorical(let p): return p
        default: return nil
        }
    }
}

// MARK: - Resolved config as a tree

extension ExperimentConfig {
    /// The resolved config (every default explicit), in the same shape a config file has.
    public var jsonValue: JSONValue {
        var policyMap: [String: JSONValue] = ["kind": .string(policy.kind.rawValue)]
        if policy.kind == .mix {
            policyMap["real_fraction"] = policy.realFraction.jsonValue
            policyMap["real_source"] = .string(policy.realSource.rawValue)
            if let s = policy.syntheticSize { policyMap["synthetic_size"] = .int(s) }
        }
        var samplingMap: [String: JSONValue] = ["temperature": .double(sampling.temperature)]
        if model.family == .categorical {
            samplingMap["top_k"] = .int(sampling.topK)
            samplingMap["top_p"] = .double(sampling.topP)
        }
        return .map([
            "name": .string(name),
            "seed": .int(Int(seed)),
            "replicates": .int(replicates),
            "generations": .int(generations),
            "samples": .int(samples),
            "rng": .string(rng.rawValue),
            "model": model.jsonValue,
            "real": real.jsonValue,
            "policy": .map(policyMap),
            "sampling": .map(samplingMap),
            "metrics": .list(metrics.map { .string($0.rawValue) }),
        ].merging(optionalSections) { a, _ in a })
    }

    /// Keys written only when set, so configs without them keep their hash.
    private var optionalSections: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        if let heldout { out["heldout"] = .int(heldout) }
        if !snapshots.isEmpty { out["output"] = .map(["snapshots": .list(snapshots.map(JSONValue.int))]) }
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
    public var hash: String { Hashing.hex(Hashing.fnv1a64(jsonValue.jsonText(pretty: false))) }
}

extension RealDataConfig {
    var jsonValue: JSONValue {
        switch self {
        case .normal(let mean, let cov):
            let d = mean.count
            var map: [String: JSONValue] = ["distribution": .string("normal")]
            let sds = (0..<d).map { cov[$0, $0].squareRoot() }
            let isDiagonal = (0..<d).allSatisfy { i in (0..<d).allSatisfy { j in i == j || cov[i, j] == 0 } }
            // `sd` only when it reproduces the covariance bit for bit; else `covariance`,
            // so the resolved config always reads back to the same distribution.
            let sdIsExact = isDiagonal && (0..<d).allSatisfy { sds[$0] * sds[$0] == cov[$0, $0] }
            map["mean"] = d == 1 ? .double(mean[0]) : .list(mean.map(JSONValue.double))
            if sdIsExact {
                map["sd"] = d == 1 ? .double(sds[0]) : .list(sds.map(JSONValue.double))
            } else {
                map["covariance"] = .list((0..<d).map { i in .list((0..<d).map { .double(cov[i, $0]) }) })
            }
            return .map(map)
        case .studentT(let dof, let loc, let scale):
            return .map(["distribution": .string("student_t"), "dof": .double(dof),
                         "location": .double(loc), "scale": .double(scale)])
        case .mixture(let w, let m, let s):
            return .map(["distribution": .string("mixture"), "weights": .list(w.map(JSONValue.double)),
                         "means": .list(m.map(JSONValue.double)), "sds": .list(s.map(JSONValue.double))])
        case .uniform(let k):
            return .map(["distribution": .string("uniform"), "categories": .int(k)])
        case .zipf(let k, let s):
            return .map(["distribution": .string("zipf"), "categories": .int(k), "exponent": .double(s)])
        case .categorical(let p):
            return .map(["distribution": .string("categorical"), "probabilities": .list(p.map(JSONValue.double))])
        case .linear(let d, let sd, let w):
            var map: [String: JSONValue] = ["distribution": .string("linear"), "dimension": .int(d),
                                            "noise_sd": .double(sd)]
            if let w { map["weights"] = .list(w.map(JSONValue.double)) }
            return .map(map)
        }
    }
}
