/// `utility:` — the downstream model of the utility and fairness metrics
/// (docs/config.md#utility): `model` (`logistic` for a binary `real.label`, `linear` for
/// a numeric one; by default `logistic` when the label has two values, else `linear`)
/// and `heldout`, the real held-out rows the models are tested on (default: the
/// top-level `heldout`). Written into the resolved config (and its hash) only when a
/// utility metric is requested or the block is given, so other configs keep their hash;
/// sweepable (`sweep: { utility.model: [logistic, linear] }`).
public struct UtilityConfig: Equatable, Sendable {
    /// The downstream model trained on each generation's batch (and on R₀).
    public enum Model: String, CaseIterable, Sendable {
        /// L2-regularised logistic regression (λ = 10⁻⁴, Newton), for a binary label.
        case logistic
        /// Ordinary least squares, for a numeric label.
        case linear
    }

    public var model: Model
    /// The held-out real rows the downstream models are tested on: the first `heldout`
    /// rows of the chain's held-out sample (which then holds max(heldout, this) rows).
    public var heldout: Int
    /// `min_group`: the fairness metrics leave out the groups with fewer held-out rows
    /// than this (`equal_opportunity_difference`: fewer positive held-out rows), so that a
    /// group of a handful of test rows, whose rates are 0 or 1 by chance, does not decide them.
    public var minGroup: Int

    public static let defaultMinGroup = 30

    public init(model: Model = .logistic, heldout: Int = 1000, minGroup: Int = UtilityConfig.defaultMinGroup) {
        self.model = model
        self.heldout = heldout
        self.minGroup = minGroup
    }

    /// The metrics of a binary label (``Model/logistic``).
    public static let logisticMetrics: Set<MetricName> = [.tstrAccuracy, .tstrAUC, .trtrAccuracy, .trtrAUC]
    /// The fairness metrics (a binary label and `real.sensitive`).
    public static let fairnessMetrics: Set<MetricName> = [.demographicParityRatio, .equalOpportunityDifference,
                                                          .trtrDemographicParityRatio, .trtrEqualOpportunityDifference]
    /// The metrics of a numeric label (``Model/linear``).
    public static let linearMetrics: Set<MetricName> = [.tstrR2, .trtrR2]
    /// Every metric `utility:` configures.
    public static let metrics: Set<MetricName> = logisticMetrics.union(fairnessMetrics).union(linearMetrics)
        .union([.utilityRatio])

    /// The metrics a model computes (`utility_ratio` with both).
    public static func metrics(of model: Model) -> Set<MetricName> {
        model == .logistic ? logisticMetrics.union(fairnessMetrics).union([.utilityRatio])
            : linearMetrics.union([.utilityRatio])
    }

    var jsonValue: JSONValue {
        .map(["model": .string(model.rawValue), "heldout": .int(heldout), "min_group": .int(minGroup)])
    }

    /// `utility:` as written: the model (nil: chosen by the label) and the held-out
    /// size (nil: the top-level `heldout`); `ok` false when a value is bad (reported to `r`).
    static func parse(_ r: ConfigReader) -> (model: Model?, heldout: Int?, minGroup: Int, ok: Bool) {
        var ok = true
        var model: Model?
        if r.has("model") {
            model = r.string("model", oneOf: Model.allCases.map(\.rawValue)).flatMap(Model.init)
            ok = ok && model != nil
        }
        var heldout: Int?
        if r.has("heldout") {
            heldout = r.int("heldout", range: 1...Int(Int32.max),
                            note: "the real held-out rows the downstream models are tested on")
            ok = ok && heldout != nil
        }
        let minGroup = r.int("min_group", default: defaultMinGroup, range: 1...Int(Int32.max),
                             note: "the fairness metrics leave out groups with fewer held-out rows")
        r.finish(allowedKeys: ["model", "heldout", "min_group"])
        return (model, heldout, minGroup ?? defaultMinGroup, ok && minGroup != nil)
    }
}
