/// `model.dp` as written: the per-fit (ε, δ), the clipping `bounds` of a mechanism that
/// clips (the Gaussian's sums; none for noisy counts), and an optional run `budget`.
public struct DPSettings: Equatable, Sendable {
    public var epsilon: Double
    public var delta: Double
    /// `bounds: [lo, hi]` (nil for a mechanism without clipping).
    public var lower: Double?
    public var upper: Double?
    /// `budget`: the most ε the worst-case individual may spend over the run (nil: none).
    public var budget: Double?

    public init(epsilon: Double, delta: Double, lower: Double? = nil, upper: Double? = nil, budget: Double? = nil) {
        self.epsilon = epsilon
        self.delta = delta
        self.lower = lower
        self.upper = upper
        self.budget = budget
    }

    var jsonValue: JSONValue {
        var map: [String: JSONValue] = ["epsilon": .double(epsilon), "delta": .double(delta)]
        if let lower, let upper { map["bounds"] = .list([.double(lower), .double(upper)]) }
        if let budget { map["budget"] = .double(budget) }
        return .map(map)
    }

    /// ρ of one fit (``ZeroConcentratedDP/rho(epsilon:delta:)``).
    public var rho: Double { ZeroConcentratedDP.rho(epsilon: epsilon, delta: delta) }

    /// Parses `model.dp`, with `bounds` required (`needsBounds`) or refused (unless the
    /// family reads it itself among its `extraKeys`); nil (errors reported) when a value
    /// is bad.
    static func parse(_ r: ConfigReader, needsBounds: Bool, extraKeys: [String] = []) -> DPSettings? {
        let epsilon = r.double("epsilon", allowed: "a number > 0 (the per-fit ε)") { $0 > 0 && $0.isFinite }
        let delta = r.double("delta", allowed: "a number in (0, 1) (the per-fit δ)") { $0 > 0 && $0 < 1 }
        let budgetGiven = r.has("budget")
        let budget = budgetGiven ? r.double("budget", allowed: "a number > 0 (the run's total ε)") { $0 > 0 } : nil
        var bounds: (Double, Double)?
        var boundsOK = true
        let allowed = "[lo, hi] with lo < hi, finite: every point is clipped to it"
        if needsBounds {
            if let v = r.raw("bounds") {
                if let xs = r.doublesFrom(v, key: "bounds", allowed: allowed, valid: { $0.isFinite }) {
                    if xs.count == 2, xs[0] < xs[1] { bounds = (xs[0], xs[1]) } else { r.fail("bounds", v.shortDescription, allowed) }
                }
            } else {
                r.fail("bounds", "nothing", allowed)
            }
            boundsOK = bounds != nil
        }
        r.finish(allowedKeys: ["epsilon", "delta", "budget"] + (needsBounds ? ["bounds"] : []) + extraKeys)
        guard let epsilon, let delta, boundsOK, !(budgetGiven && budget == nil) else { return nil }
        return DPSettings(epsilon: epsilon, delta: delta, lower: bounds?.0, upper: bounds?.1, budget: budget)
    }

    /// The config error of a run whose worst-case individual would spend more than
    /// `budget`, naming the generation; nil when it keeps it (or has none).
    func budgetProblem(_ config: ExperimentConfig) -> ConfigError? {
        guard let budget, let t = ZeroConcentratedDP.generationExceeding(
            budget: budget, policy: config.policy.rule, generations: config.generations, samples: config.samples,
            epsilon: epsilon, delta: delta) else { return nil }
        let spent = ZeroConcentratedDP.epsilonSpent(policy: config.policy.rule, generations: config.generations,
                                                    samples: config.samples, epsilon: epsilon, delta: delta)
        return ConfigError(field: "model.dp.budget", value: NumberFormat.double(budget),
                           allowed: "at least the ε the run spends: generation \(t)'s fit brings the worst-case individual to ε = \(NumberFormat.double(spent[t])) (policy \(config.policy.rule.kind), \(config.generations) generations, ε = \(NumberFormat.double(epsilon)) per fit); lower generations, raise the budget, or use replace")
    }

    /// The config error of a family's `model.dp`: with it, a budget the run exceeds;
    /// without it, `epsilon_spent` requested.
    static func problem(_ dp: DPSettings?, _ config: ExperimentConfig) -> ConfigError? {
        dp.map { $0.budgetProblem(config) } ?? epsilonSpentProblem(config)
    }

    /// `epsilon_spent` without `model.dp` is a config error.
    static func epsilonSpentProblem(_ config: ExperimentConfig) -> ConfigError? {
        config.metrics.contains(.epsilonSpent)
            ? ConfigError(field: "metrics", value: "epsilon_spent without model.dp",
                          allowed: "epsilon_spent only with model.dp (the accountant's spend)") : nil
    }
}

/// A run's DP accounting under `model.dp`: which generations' fits touch real points
/// (those are the DP releases; a fit on synthetic points only is post-processing and
/// costs nothing) and `epsilon_spent` after each fit (``ZeroConcentratedDP``).
public struct DPAccounting: Equatable, Sendable {
    /// Whether generation t's training set holds real points (t = 0…G).
    public let touchesReal: [Bool]
    /// `epsilon_spent` after generation t's fit: the worst-case individual's ε(δ).
    public let spent: [Double]

    public init(settings: DPSettings, policy: any TrainingPolicy, generations: Int, samples: Int) {
        touchesReal = (0...generations).map { t in
            guard t > 0 else { return true }
            guard let c = policy.composition(generation: t, generations: generations, samples: samples) else { return true }
            return c.real > 0
        }
        spent = ZeroConcentratedDP.epsilonSpent(policy: policy, generations: generations, samples: samples,
                                                epsilon: settings.epsilon, delta: settings.delta)
    }

    /// The `epsilon_spent` metric of a family whose `model.dp` accounting `accounting`
    /// reads (0 without `model.dp`, which the config reader refuses anyway).
    static func epsilonSpentMetric<F: GenerativeFamily>(_ accounting: @escaping @Sendable (F) -> DPAccounting?) -> Metric<F> {
        Metric(.epsilonSpent) { c in accounting(c.family).map { $0.spent[c.generation] } ?? 0 }
    }
}
