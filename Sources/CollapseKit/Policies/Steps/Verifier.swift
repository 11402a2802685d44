/// `policy.curate.verifier`: what judges a synthetic candidate, as configured.
///
/// - `reward`: a reward r(x) on points in ℝ^d, `quadratic` r(x) = −γ‖x − c‖²/2 (bounded
///   above by 0, so rejection sampling can use it) or `linear` r(x) = βᵀx (unbounded:
///   Bradley–Terry selection only). Ferbach et al. (2024), "Self-consuming generative
///   models with curated data provably optimize human preferences".
/// - `plausibility`: x lies in the real distribution's highest-density region of mass
///   `level`. For a normal N(m, Σ) that is (x − m)ᵀΣ⁻¹(x − m) ≤ χ²_d(level) (in 1-D,
///   |x − m| ≤ z·s); for another parametric distribution, log p(x) ≥ the (1 − level)
///   quantile of log p(X), estimated once per cell from 200,000 draws of a fixed stream.
/// - `rules`: per-column allowed ranges (numeric) and categories (categorical), as a
///   domain expert writes them.
public enum Verifier: Equatable, Sendable {
    case reward(Reward)
    case plausibility(level: Double)
    case rules([ColumnRule])

    /// `reward:`.
    public enum Reward: Equatable, Sendable {
        case quadratic(center: [Double], gamma: Double)
        case linear(beta: [Double])

        var jsonValue: JSONValue {
            switch self {
            case .quadratic(let c, let g):
                .map(["kind": .string("quadratic"), "center": Self.vector(c), "gamma": .double(g)])
            case .linear(let b): .map(["kind": .string("linear"), "beta": Self.vector(b)])
            }
        }

        private static func vector(_ v: [Double]) -> JSONValue { v.count == 1 ? .double(v[0]) : .list(v.map { .double($0) }) }
    }

    /// One entry of `rules:`: a numeric column's closed range or a categorical
    /// column's allowed labels.
    public struct ColumnRule: Equatable, Sendable {
        public var column: String
        public var range: ClosedRange<Double>?
        public var categories: [String]

        var jsonValue: JSONValue {
            if let range { return .list([.double(range.lowerBound), .double(range.upperBound)]) }
            return .list(categories.map { .string($0) })
        }
    }

    public var name: String {
        switch self {
        case .reward: "reward"
        case .plausibility: "plausibility"
        case .rules: "rules"
        }
    }

    var jsonEntries: [String: JSONValue] {
        switch self {
        case .reward(let r): ["reward": r.jsonValue]
        case .plausibility(let level): ["level": .double(level)]
        case .rules(let rules): ["rules": .map(Dictionary(uniqueKeysWithValues: rules.map { ($0.column, $0.jsonValue) }))]
        }
    }

    /// True for a verifier that says yes or no (plausibility, rules): `rule_violation_rate` measures it.
    public var isRegion: Bool { if case .reward = self { false } else { true } }

    // MARK: Reading

    static func parse(_ r: ConfigReader) -> Verifier? {
        let name = r.string("verifier", oneOf: ["reward", "plausibility", "rules"])
        let others: [String: String] = ["reward": "reward", "level": "plausibility", "rules": "rules"]
        for (key, owner) in others where owner != name && r.has(key) {
            r.fail(key, "a value with verifier \(name ?? "?")", "\(key) only with verifier: \(owner)")
            _ = r.raw(key)
        }
        switch name {
        case "reward": return parseReward(r.child("reward")).map(Verifier.reward)
        case "plausibility":
            return r.double("level", default: 0.99, allowed: "a number in (0, 1): the mass of the highest-density region") {
                $0 > 0 && $0 < 1
            }.map { .plausibility(level: $0) }
        case "rules": return parseRules(r)
        default: return nil
        }
    }

    private static func parseReward(_ r: ConfigReader) -> Reward? {
        let kind = r.string("kind", oneOf: ["quadratic", "linear"])
        defer { r.finish(allowedKeys: kind == "linear" ? ["kind", "beta"] : ["kind", "center", "gamma"]) }
        switch kind {
        case "quadratic":
            let center = r.has("center") ? r.doubles("center", allowed: "a number or a list of numbers (one per coordinate)") : [0]
            let gamma = r.double("gamma", allowed: "a positive number: r(x) = −γ‖x − c‖²/2") { $0 > 0 }
            guard let center, let gamma else { return nil }
            return .quadratic(center: center, gamma: gamma)
        case "linear":
            guard r.has("beta") else {
                r.fail("beta", "nothing", "a number or a list of numbers: r(x) = βᵀx")
                return nil
            }
            return r.doubles("beta", allowed: "a number or a list of numbers: r(x) = βᵀx").map { .linear(beta: $0) }
        default: return nil
        }
    }

    private static func parseRules(_ r: ConfigReader) -> Verifier? {
        guard case .map(let map)? = r.raw("rules"), !map.isEmpty else {
            r.fail("rules", "nothing or not a map", "a map of column: [low, high] or column: [label, …]")
            return nil
        }
        var out: [ColumnRule] = []
        var ok = true
        for (column, value) in map.sorted(by: { $0.key < $1.key }) {
            let field = "rules.\(column)"
            guard case .list(let items) = value, !items.isEmpty else {
                r.fail(field, value.shortDescription, "[low, high] for a numeric column or a list of labels for a categorical one")
                ok = false
                continue
            }
            let numbers = items.compactMap { item -> Double? in
                switch item { case .int(let i): Double(i); case .double(let d): d; default: nil }
            }
            if numbers.count == 2, items.count == 2, numbers[0] <= numbers[1] {
                out.append(ColumnRule(column: column, range: numbers[0]...numbers[1], categories: []))
            } else if numbers.isEmpty {
                out.append(ColumnRule(column: column, range: nil, categories: items.map { $0.asString ?? $0.shortDescription }))
            } else {
                r.fail(field, value.shortDescription, "[low, high] with low ≤ high for a numeric column, or a list of labels")
                ok = false
            }
        }
        return ok ? .rules(out) : nil
    }
}

/// A ``Verifier`` bound to the run's real data: the functions the curation step calls.
struct BoundVerifier: Sendable {
    let verifier: Verifier
    /// Yes/no per row (plausibility, rules).
    let region: RowTest?
    /// r(x) per row (reward).
    let reward: (@Sendable (StepPoints) -> [Double])?
    /// sup r (quadratic: 0), for rejection sampling; nil when unbounded.
    let rewardMax: Double?

    /// Binds `verifier`, or explains why the run's data does not fit it.
    static func bind(_ verifier: Verifier, to binding: StepBinding, field: String) -> Result<BoundVerifier, ConfigError> {
        switch verifier {
        case .reward(let reward):
            guard binding.table == nil, binding.real.reference != nil else {
                return .failure(ConfigError(field: field, value: "verifier reward with real.distribution \(binding.real.name)",
                                            allowed: "a reward only on points in ℝ^d (a parametric real distribution)"))
            }
            let d = binding.real.dimension
            let vector: [Double]
            switch reward {
            case .quadratic(let c, _): vector = c
            case .linear(let b): vector = b
            }
            guard vector.count == 1 || vector.count == d else {
                return .failure(ConfigError(field: field, value: "a vector of \(vector.count) numbers",
                                            allowed: "one number (the same for every coordinate) or \(d), one per coordinate"))
            }
            let v = vector.count == d ? vector : [Double](repeating: vector[0], count: d)
            switch reward {
            case .quadratic(_, let gamma):
                return .success(BoundVerifier(verifier: verifier, region: nil, reward: StepPoints.perPoint(d) { x in
                    var s = 0.0
                    for j in 0..<d { let e = x[j] - v[j]; s += e * e }
                    return -0.5 * gamma * s
                }, rewardMax: 0))
            case .linear:
                return .success(BoundVerifier(verifier: verifier, region: nil, reward: StepPoints.perPoint(d) { x in
                    var s = 0.0
                    for j in 0..<d { s += v[j] * x[j] }
                    return s
                }, rewardMax: nil))
            }
        case .plausibility(let level):
            return plausibility(level: level, binding: binding, field: field)
                .map { BoundVerifier(verifier: verifier, region: $0, reward: nil, rewardMax: nil) }
        case .rules(let rules):
            return RuleCheck.bind(rules, binding: binding, field: field)
                .map { BoundVerifier(verifier: verifier, region: $0, reward: nil, rewardMax: nil) }
        }
    }

    private static func plausibility(level: Double, binding: StepBinding, field: String) -> Result<RowTest, ConfigError> {
        guard binding.real.spec.population == nil, let reference = binding.real.reference, reference.distribution.hasDensity else {
            return .failure(ConfigError(field: field, value: "verifier plausibility with real.distribution \(binding.real.name)",
                                        allowed: "plausibility only for a parametric real distribution of points (its highest-density region); rules for a file"))
        }
        let distribution = reference.distribution
        let d = reference.dimension
        if distribution is NormalDistribution {
            // (x − m)ᵀ Σ⁻¹ (x − m) ≤ χ²_d(level).
            let bound = Probability.chiSquaredQuantile(level, dof: Double(d))
            let m = reference.mean, inverse = reference.covarianceInverse
            return .success(RowTest(StepPoints.perPoint(d) { x in
                var q = 0.0
                for i in 0..<d {
                    var s = 0.0
                    for j in 0..<d { s += inverse[i, j] * (x[j] - m[j]) }
                    q += (x[i] - m[i]) * s
                }
                return q <= bound
            }))
        }
        // log p(x) ≥ the (1 − level) quantile of log p(X) under the real distribution.
        let draws = 200_000
        let stream = RandomStream(key: StreamKey(seed: 0x706c_6175_7369_626c, cell: 0, replicate: 0), algorithm: .mt19937)
        let sample = distribution.sample(count: draws, stream: stream)
        var logs = sample.withUnsafeBufferPointer { p in
            (0..<draws).map { i in distribution.logDensity(UnsafeBufferPointer(rebasing: p[(i * d)..<((i + 1) * d)])) }
        }
        logs.sort()
        let threshold = logs[min(draws - 1, max(0, Int((1 - level) * Double(draws))))]
        return .success(RowTest(StepPoints.perPoint(d) { x in distribution.logDensity(x) >= threshold }))
    }
}
