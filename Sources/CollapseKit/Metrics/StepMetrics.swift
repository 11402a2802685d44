/// The metrics of the policy steps (`policy.curate`), the same for every family:
/// - `curated_fraction`: the share of the candidates drawn for this generation's
///   training set that were kept (NaN at generation 0, trained on real data);
/// - `review_cost`: the reviews spent on this generation's training set (0 at t = 0);
/// - `rule_violation_rate`: the share of this generation's raw output outside the
///   verifier's region (`rules` or `plausibility`): how far the model itself drifted.
///
/// A run may request them without the step (a sweep's cell without curation): they are
/// then NaN (`review_cost`: 0), as is `rule_violation_rate` for a reward verifier.
public enum StepMetrics {
    public static let names: Set<MetricName> = [.curatedFraction, .reviewCost, .ruleViolationRate]

    public static func metrics<F: GenerativeFamily>(for family: F.Type) -> [Metric<F>] {
        let needs = Dictionary(uniqueKeysWithValues: infos.map { ($0.name, $0.needs) })
        return [
            Metric(.curatedFraction, needs: needs[.curatedFraction]!) { c in c.stepValues[.curatedFraction] ?? .nan },
            Metric(.reviewCost, needs: needs[.reviewCost]!) { c in c.stepValues[.reviewCost] ?? 0 },
            Metric(.ruleViolationRate, needs: needs[.ruleViolationRate]!) { c in
                guard let region = c.stepRegion, let batch = c.batch, let view = StepPoints(batch) else { return .nan }
                return region.failureShare(view)
            },
        ]
    }

    /// Their names and needs (what config validation sees).
    public static var infos: [MetricInfo] {
        [MetricInfo(name: .curatedFraction, needs: []), MetricInfo(name: .reviewCost, needs: []),
         MetricInfo(name: .ruleViolationRate, needs: .batch)]
    }
}
