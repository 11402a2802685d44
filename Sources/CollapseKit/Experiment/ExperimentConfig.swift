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
    /// The metrics to compute, sorted by name.
    public var metrics: [MetricName]

    public var dimension: Int { real.dimension }
}

/// `model:` — the generator family and how it is fitted.
public struct ModelConfig: Equatable, Sendable {
    public enum Family: String, CaseIterable, Sendable { case gaussian }
    public var family: Family
    public var estimator: GaussianFamily.Estimator
}

/// `sampling:` — the bias applied when a model generates.
public struct SamplingConfig: Equatable, Sendable {
    /// λ > 0: the Gaussian samples from N(μ, λΣ).
    public var temperature: Double
}

/// `real:` — the ground-truth distribution.
public enum RealDataConfig: Equatable, Sendable {
    case normal(mean: [Double], covariance: SymmetricMatrix)
    case studentT(dof: Double, location: Double, scale: Double)
    case mixture(weights: [Double], means: [Double], sds: [Double])

    public var dimension: Int {
        if case .normal(let mean, _) = self { return mean.count }
        return 1
    }

    /// The distribution object (validated configs only).
    public func makeDistribution() -> any RealDistribution {
        switch self {
        case .normal(let mean, let cov): return NormalDistribution(mean: mean, covariance: cov)!
        case .studentT(let dof, let loc, let scale):
            return StudentTDistribution(dof: dof, location: loc, scale: scale)
        case .mixture(let w, let m, let s): return NormalMixtureDistribution(weights: w, means: m, sds: s)
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
        return .map([
            "name": .string(name),
            "seed": .int(Int(seed)),
            "replicates": .int(replicates),
            "generations": .int(generations),
            "samples": .int(samples),
            "rng": .string(rng.rawValue),
            "model": .map(["family": .string(model.family.rawValue),
                           "estimator": .string(model.estimator.rawValue)]),
            "real": real.jsonValue,
            "policy": .map(policyMap),
            "sampling": .map(["temperature": .double(sampling.temperature)]),
            "metrics": .list(metrics.map { .string($0.rawValue) }),
        ])
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
        }
    }
}

/// Non-cryptographic hashing for ids (config hashes, cell ids).
public enum Hashing {
    public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// 16 lower-case hex digits.
    public static func hex(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
