/// `privacy:` — how the membership-inference metrics attack each generation
/// (docs/config.md#privacy): `attack` (`distance`, the default; `density_ratio`;
/// `likelihood`) and `fpr`, the false-positive rate of `mia_tpr_at_low_fpr` (default
/// 0.01). Written into the resolved config (and its hash) only when a privacy metric is
/// requested or the block is given, so configs without them keep their hash. A config
/// key, so `sweep: { privacy.attack: [distance, density_ratio] }` puts attacks side by side.
public struct PrivacyConfig: Equatable, Sendable {
    /// The score an attacker gives a candidate; higher means "member".
    public enum Attack: String, CaseIterable, Sendable {
        /// −distance to the nearest generated point, coordinates scaled by the real sd
        /// (GAN-Leaks; TAPAS's ClosestDistance).
        case distance
        /// log p̂_batch(x) − log p̂_reference(x), Gaussian KDEs with Scott's bandwidth
        /// (DOMIAS, van Breugel et al. 2023).
        case densityRatio = "density_ratio"
        /// log-density of x under the generation's model (Yeom et al. 2018).
        case likelihood
    }

    public var attack: Attack = .distance
    public var fpr: Double = 0.01

    public init(attack: Attack = .distance, fpr: Double = 0.01) {
        self.attack = attack
        self.fpr = fpr
    }

    /// The membership-inference metrics, which `attack` and `fpr` configure.
    public static let attackMetrics: Set<MetricName> = [.miaAUC, .miaAdvantage, .miaTPRAtLowFPR, .miaEpsilonLower]
    /// Every metric of the privacy section (the accountant's `epsilon_spent` aside).
    public static let metrics: Set<MetricName> = attackMetrics.union([.dcrOverfittingProtection, .dcrBaselineProtection,
                                                                      .authenticity])

    var jsonValue: JSONValue { .map(["attack": .string(attack.rawValue), "fpr": .double(fpr)]) }

    /// Parses `privacy:`; nil (errors reported to `r`) when a value is bad.
    static func parse(_ r: ConfigReader) -> PrivacyConfig? {
        let attack = r.string("attack", default: Attack.distance.rawValue, oneOf: Attack.allCases.map(\.rawValue))
            .flatMap(Attack.init)
        let fpr = r.double("fpr", default: 0.01, allowed: "a number in (0, 1): the false-positive rate of mia_tpr_at_low_fpr") {
            $0 > 0 && $0 < 1
        }
        r.finish(allowedKeys: ["attack", "fpr"])
        guard let attack, let fpr else { return nil }
        return PrivacyConfig(attack: attack, fpr: fpr)
    }
}

extension MetricName {
    /// Whether a config without `metrics:` computes it: every metric but the privacy ones
    /// (whose attacks cost a nearest-neighbour search each generation), `epsilon_spent`
    /// and the utility ones (a downstream model fitted each generation, ``UtilityConfig``),
    /// which are asked for by name.
    public var isDefault: Bool {
        !PrivacyConfig.metrics.contains(self) && self != .epsilonSpent && !UtilityConfig.metrics.contains(self)
            && !StepMetrics.names.contains(self)
    }
}

extension PrivacyConfig {
    /// The config error of a run that requests an attack metric with an attack its
    /// family cannot run (`allowed` the ones it can, `what` the message's allowed part);
    /// nil otherwise.
    static func attackProblem(_ config: ExperimentConfig, allowed: Set<Attack>, _ what: String) -> ConfigError? {
        let attack = (config.privacy ?? PrivacyConfig()).attack
        guard !allowed.contains(attack), config.metrics.contains(where: attackMetrics.contains) else { return nil }
        return ConfigError(field: "privacy.attack", value: "'\(attack.rawValue)' with model.family \(config.model.descriptor.name)",
                           allowed: what)
    }
}
