/// The privacy metrics of the point families (`gaussian`, `kde`, `gmm`;
/// docs/metrics.md#privacy), each generation, against the chain's real samples:
///
/// - Members are R₀ (all `samples` points); non-members the first `samples` points of
///   the chain's held-out real sample (drawn when the chain starts, disjoint from R₀);
///   `density_ratio`'s reference sample its next `samples` points. The attack
///   (``PrivacyConfig/attack``) scores every candidate; ``MembershipROC`` turns the two
///   score sets into `mia_auc`, `mia_advantage`, `mia_tpr_at_low_fpr` (at
///   ``PrivacyConfig/fpr``) and `mia_epsilon_lower`, computed once a generation.
/// - `dcr_overfitting_protection`: SDMetrics' DCROverfittingProtection of the batch,
///   with R₀ as training rows and the non-members as holdout rows;
///   `dcr_baseline_protection`: DCRBaselineProtection of the batch against R₀, its
///   uniform random rows drawn from a stream of the metric's own (keyed by the chain and
///   generation), so requesting it changes no other value.
/// - `authenticity`: the share of batch points farther from their nearest R₀ point than
///   that point is from its own nearest other R₀ point (Alaa et al. 2022).
enum PrivacyMetrics {
    static let rocKey = SharedValue<MembershipROC?>()

    static func all<F: ContinuousFamily>() -> [Metric<F>] {
        let attack: MetricNeeds = [.initialReal, .heldout, .batch]
        return [
            Metric(.miaAUC, needs: attack) { roc($0)?.auc ?? .nan },
            Metric(.miaAdvantage, needs: attack) { roc($0)?.advantage ?? .nan },
            Metric(.miaTPRAtLowFPR, needs: attack) { c in roc(c)?.tprAtLowFPR(c.privacy.fpr) ?? .nan },
            Metric(.miaEpsilonLower, needs: attack) { roc($0)?.epsilonLowerBound() ?? .nan },
            Metric(.dcrOverfittingProtection, needs: attack) { c in
                DistanceToClosestRecord.overfittingProtection(synthetic: c.batch!, training: c.initialReal!,
                                                              holdout: nonMembers(c))
            },
            Metric(.dcrBaselineProtection, needs: [.initialReal, .batch]) { c in
                DistanceToClosestRecord.baselineProtection(synthetic: c.batch!, real: c.initialReal!,
                                                           stream: c.metricStream(tag: 0xDC2B))
            },
            Metric(.authenticity, needs: [.initialReal, .batch]) { c in
                Authenticity.share(synthetic: c.batch!.values, training: c.initialReal!.values, dimension: c.family.dimension)
            },
        ]
    }

    /// The first `samples` held-out observations: every attack's non-members.
    static func nonMembers<F: GenerativeFamily>(_ c: MetricContext<F>) -> F.Data {
        c.heldout!.prefix(c.initialReal!.count)
    }

    /// The generation's ROC of the configured attack (nil when the model has no
    /// density for `likelihood`, which the config reader rules out).
    static func roc<F: ContinuousFamily>(_ c: MetricContext<F>) -> MembershipROC? {
        c.shared(rocKey) {
            let members = c.initialReal!, others = nonMembers(c), n = members.count
            switch c.privacy.attack {
            case .distance:
                return DistanceAttack.roc(members: members, nonMembers: others, batch: c.batch!,
                                          scale: c.family.real.marginalSDs)
            case .densityRatio:
                let reference = Dataset(values: Array(c.heldout!.values[(n * members.dimension)..<(2 * n * members.dimension)]),
                                        dimension: members.dimension)
                let real = c.family.real
                return MembershipROC(
                    memberScores: DensityRatioAttack.scores(candidates: members, batch: c.batch!, reference: reference, real: real),
                    nonMemberScores: DensityRatioAttack.scores(candidates: others, batch: c.batch!, reference: reference, real: real))
            case .likelihood:
                return LikelihoodAttack.roc(c)
            }
        }
    }
}
