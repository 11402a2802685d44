/// `model.dp` of the Gaussian family: each fit whose training set holds real points is
/// (ε, δ)-DP under replace-one neighbouring, by ``GaussianSumsMechanism`` (d = 1: the
/// clipped sums Σx and Σx² released with Gaussian noise, ρ = ρ(ε, δ) split equally,
/// zCDP accounting of Bun & Steinke 2016, ``ZeroConcentratedDP``). A fit on synthetic
/// points only is post-processing: it is the plain fit and costs nothing.
public struct GaussianDP: Equatable, Sendable {
    /// The config's `model.dp` keys.
    public struct Settings: Equatable, Sendable {
        public var epsilon: Double
        public var delta: Double
        public var lower: Double
        public var upper: Double
        /// `budget`: the most ε the worst-case individual may spend over the run (nil: none).
        public var budget: Double?

        var jsonValue: JSONValue {
            var map: [String: JSONValue] = ["epsilon": .double(epsilon), "delta": .double(delta),
                                            "bounds": .list([.double(lower), .double(upper)])]
            if let budget { map["budget"] = .double(budget) }
            return .map(map)
        }

        /// Parses `model.dp`; nil (errors reported) when a value is bad.
        static func parse(_ r: ConfigReader) -> Settings? {
            let epsilon = r.double("epsilon", allowed: "a number > 0 (the per-fit ε)") { $0 > 0 && $0.isFinite }
            let delta = r.double("delta", allowed: "a number in (0, 1) (the per-fit δ)") { $0 > 0 && $0 < 1 }
            let budgetGiven = r.has("budget")
            let budget = budgetGiven ? r.double("budget", allowed: "a number > 0 (the run's total ε)") { $0 > 0 } : nil
            var bounds: (Double, Double)?
            let allowed = "[lo, hi] with lo < hi, finite: every point is clipped to it"
            if let v = r.raw("bounds") {
                if let xs = r.doublesFrom(v, key: "bounds", allowed: allowed, valid: { $0.isFinite }) {
                    if xs.count == 2, xs[0] < xs[1] { bounds = (xs[0], xs[1]) } else { r.fail("bounds", v.shortDescription, allowed) }
                }
            } else {
                r.fail("bounds", "nothing", allowed)
            }
            r.finish(allowedKeys: ["epsilon", "delta", "bounds", "budget"])
            guard let epsilon, let delta, let bounds, !(budgetGiven && budget == nil) else { return nil }
            return Settings(epsilon: epsilon, delta: delta, lower: bounds.0, upper: bounds.1, budget: budget)
        }
    }

    public let settings: Settings
    public let mechanism: GaussianSumsMechanism
    /// Whether generation t's training set holds real points (t = 0…G).
    public let touchesReal: [Bool]
    /// `epsilon_spent` after generation t's fit: the worst-case individual's ε(δ).
    public let spent: [Double]

    public init(settings: Settings, policy: any TrainingPolicy, generations: Int, samples: Int) {
        self.settings = settings
        mechanism = GaussianSumsMechanism(lower: settings.lower, upper: settings.upper,
                                          rho: ZeroConcentratedDP.rho(epsilon: settings.epsilon, delta: settings.delta))
        touchesReal = (0...generations).map { t in
            guard t > 0 else { return true }
            guard let c = policy.composition(generation: t, generations: generations, samples: samples) else { return true }
            return c.real > 0
        }
        spent = ZeroConcentratedDP.epsilonSpent(policy: policy, generations: generations, samples: samples,
                                                epsilon: settings.epsilon, delta: settings.delta)
    }

    public static func == (a: GaussianDP, b: GaussianDP) -> Bool { a.settings == b.settings && a.touchesReal == b.touchesReal }
}
