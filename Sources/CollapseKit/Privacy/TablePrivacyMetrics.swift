/// The privacy metrics of the table families (`copula`, `external` with `data: table`)
/// and of `categorical` (its categories a one-column table; docs/metrics.md#privacy),
/// each generation, with the same members, non-members and definitions as
/// ``PrivacyMetrics`` on rows of a mixed table (``DistanceRows``):
///
/// - the `distance` attack: numeric columns divided by R₀'s column standard deviation
///   (÷ (n − 1)), a categorical mismatch counting 1, Euclidean; for `categorical` also
///   the `likelihood` attack, log p̂(x) under the generation's model;
/// - the DCR scores with SDMetrics' row distance (range-normalised numeric columns,
///   categorical 0/1, averaged over columns; ``DistanceToClosestRecord``);
/// - `authenticity` on the attack's distance.
enum TablePrivacyMetrics {
    static let rocKey = SharedValue<MembershipROC>()
    static let scaleKey = SharedValue<[Double]>()

    static func all<F: GenerativeFamily>() -> [Metric<F>] where F.Data == MixedTable { all { $0 } }

    /// The metrics of a family whose data `table` turns into a mixed table.
    static func all<F: GenerativeFamily>(_ table: @escaping @Sendable (F.Data) -> MixedTable) -> [Metric<F>] {
        let attack: MetricNeeds = [.initialReal, .heldout, .batch]
        return [
            Metric(.miaAUC, needs: attack) { roc($0, table).auc },
            Metric(.miaAdvantage, needs: attack) { roc($0, table).advantage },
            Metric(.miaTPRAtLowFPR, needs: attack) { c in roc(c, table).tprAtLowFPR(c.privacy.fpr) },
            Metric(.miaEpsilonLower, needs: attack) { roc($0, table).epsilonLowerBound() },
            Metric(.dcrOverfittingProtection, needs: attack) { c in
                DistanceToClosestRecord.overfittingProtection(synthetic: table(c.batch!), training: table(c.initialReal!),
                                                              holdout: table(PrivacyMetrics.nonMembers(c)))
            },
            Metric(.dcrBaselineProtection, needs: [.initialReal, .batch]) { c in
                DistanceToClosestRecord.baselineProtection(synthetic: table(c.batch!), real: table(c.initialReal!),
                                                           stream: c.metricStream(tag: 0xDC2B))
            },
            Metric(.authenticity, needs: [.initialReal, .batch]) { c in
                Authenticity.share(synthetic: rows(table(c.batch!), c, table), training: rows(table(c.initialReal!), c, table))
            },
        ]
    }

    /// Why `privacy:` does not fit the family, or nil: a table is measured by the
    /// distance attack only (no density to compare for `density_ratio`, no model density
    /// for `likelihood`); `categorical` (`likelihood`) also by its model's log-probability.
    static func problem(_ config: ExperimentConfig, likelihood: Bool = false) -> ConfigError? {
        let family = config.model.descriptor.name
        return likelihood
            ? PrivacyConfig.attackProblem(config, allowed: [.distance, .likelihood],
                                          "distance or likelihood with \(family) (density_ratio needs points in ℝ^d)")
            : PrivacyConfig.attackProblem(config, allowed: [.distance],
                                          "distance on a table (density_ratio needs points in ℝ^d, likelihood a family with a density: gaussian, kde, gmm, categorical, copula)")
    }

    /// R₀'s numeric column standard deviations (÷ (n − 1)), once per chain.
    static func scale<F: GenerativeFamily>(_ c: MetricContext<F>, _ table: (F.Data) -> MixedTable) -> [Double] {
        c.perChain(scaleKey) {
            table(c.initialReal!).numeric.map { column in
                let n = column.count
                guard n > 1 else { return 0 }
                let mean = Statistics.mean(column, count: n)
                return Statistics.variance(column, mean: mean, ddof: 1, count: n).squareRoot()
            }
        }
    }

    static func rows<F: GenerativeFamily>(_ t: MixedTable, _ c: MetricContext<F>, _ table: (F.Data) -> MixedTable) -> DistanceRows {
        DistanceRows(t, scale: scale(c, table))
    }

    /// The generation's ROC of the configured attack: `distance` on the rows, or
    /// `likelihood` (the model's log-density of each candidate, for a family with one;
    /// the config reader rules it out for the others).
    static func roc<F: GenerativeFamily>(_ c: MetricContext<F>, _ table: (F.Data) -> MixedTable) -> MembershipROC {
        c.shared(rocKey) {
            if c.privacy.attack == .likelihood, let roc = LikelihoodAttack.roc(c) { return roc }
            let members = c.initialReal!, others = PrivacyMetrics.nonMembers(c)
            return DistanceAttack.roc(members: rows(table(members), c, table), nonMembers: rows(table(others), c, table),
                                      batch: rows(table(c.batch!), c, table))
        }
    }
}
