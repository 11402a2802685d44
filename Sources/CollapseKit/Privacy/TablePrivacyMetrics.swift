/// The privacy metrics of the table families (`copula`, `external` with `data: table`;
/// docs/metrics.md#privacy), each generation, with the same members, non-members and
/// definitions as ``PrivacyMetrics`` on rows of a mixed table (``DistanceRows``):
///
/// - the `distance` attack (the only one for tables): numeric columns divided by R₀'s
///   column standard deviation (÷ (n − 1)), a categorical mismatch counting 1, Euclidean;
/// - the DCR scores with SDMetrics' row distance (range-normalised numeric columns,
///   categorical 0/1, averaged over columns; ``DistanceToClosestRecord``);
/// - `authenticity` on the attack's distance.
enum TablePrivacyMetrics {
    static let rocKey = SharedValue<MembershipROC>()
    static let scaleKey = SharedValue<[Double]>()

    static func all<F: GenerativeFamily>() -> [Metric<F>] where F.Data == MixedTable {
        let attack: MetricNeeds = [.initialReal, .heldout, .batch]
        return [
            Metric(.miaAUC, needs: attack) { roc($0).auc },
            Metric(.miaAdvantage, needs: attack) { roc($0).advantage },
            Metric(.miaTPRAtLowFPR, needs: attack) { c in roc(c).tprAtLowFPR(c.privacy.fpr) },
            Metric(.miaEpsilonLower, needs: attack) { roc($0).epsilonLowerBound() },
            Metric(.dcrOverfittingProtection, needs: attack) { c in
                DistanceToClosestRecord.overfittingProtection(synthetic: c.batch!, training: c.initialReal!,
                                                              holdout: nonMembers(c))
            },
            Metric(.dcrBaselineProtection, needs: [.initialReal, .batch]) { c in
                DistanceToClosestRecord.baselineProtection(synthetic: c.batch!, real: c.initialReal!,
                                                           stream: c.metricStream(tag: 0xDC2B))
            },
            Metric(.authenticity, needs: [.initialReal, .batch]) { c in
                Authenticity.share(synthetic: rows(c.batch!, c), training: rows(c.initialReal!, c))
            },
        ]
    }

    /// Why `privacy:` does not fit a table family, or nil: only the distance attack
    /// measures a table (no density to compare for `density_ratio`, no model density
    /// for `likelihood`).
    static func problem(_ config: ExperimentConfig) -> ConfigError? {
        guard let privacy = config.privacy, privacy.attack != .distance,
              config.metrics.contains(where: PrivacyConfig.attackMetrics.contains) else { return nil }
        return ConfigError(field: "privacy.attack", value: "'\(privacy.attack.rawValue)' with model.family \(config.model.descriptor.name)",
                           allowed: "distance on a table (density_ratio needs points in ℝ^d, likelihood a family with a density: gaussian, kde, gmm)")
    }

    /// The first `samples` held-out rows.
    static func nonMembers<F: GenerativeFamily>(_ c: MetricContext<F>) -> MixedTable where F.Data == MixedTable {
        c.heldout!.prefix(c.initialReal!.count)
    }

    /// R₀'s numeric column standard deviations (÷ (n − 1)), once per chain.
    static func scale<F: GenerativeFamily>(_ c: MetricContext<F>) -> [Double] where F.Data == MixedTable {
        c.perChain(scaleKey) {
            c.initialReal!.numeric.map { column in
                let n = column.count
                guard n > 1 else { return 0 }
                let mean = Statistics.mean(column, count: n)
                return Statistics.variance(column, mean: mean, ddof: 1, count: n).squareRoot()
            }
        }
    }

    static func rows<F: GenerativeFamily>(_ t: MixedTable, _ c: MetricContext<F>) -> DistanceRows where F.Data == MixedTable {
        DistanceRows(t, scale: scale(c))
    }

    static func roc<F: GenerativeFamily>(_ c: MetricContext<F>) -> MembershipROC where F.Data == MixedTable {
        c.shared(rocKey) {
            DistanceAttack.roc(members: rows(c.initialReal!, c), nonMembers: rows(nonMembers(c), c), batch: rows(c.batch!, c))
        }
    }
}
