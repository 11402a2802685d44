/// The membership metrics of a family whose observations have no distance between them
/// but a likelihood under the model (`ngram`: a document's log-probability, the sum of
/// its tokens' log-probabilities, −∞ when an n-gram has probability 0): `mia_auc`,
/// `mia_advantage`, `mia_tpr_at_low_fpr` and `mia_epsilon_lower` of the `likelihood`
/// attack (Yeom et al. 2018's loss threshold; Carlini et al. 2021 score documents by
/// their likelihood under a language model), with members R₀ and non-members the first
/// `samples` held-out observations, as ``PrivacyMetrics``.
enum LikelihoodPrivacyMetrics {
    static let rocKey = SharedValue<MembershipROC>()

    static func all<F: GenerativeFamily>() -> [Metric<F>] {
        let needs: MetricNeeds = [.model, .initialReal, .heldout]
        return [
            Metric(.miaAUC, needs: needs) { roc($0).auc },
            Metric(.miaAdvantage, needs: needs) { roc($0).advantage },
            Metric(.miaTPRAtLowFPR, needs: needs) { c in roc(c).tprAtLowFPR(c.privacy.fpr) },
            Metric(.miaEpsilonLower, needs: needs) { roc($0).epsilonLowerBound() },
        ]
    }

    /// Only the likelihood attack measures these families.
    static func problem(_ config: ExperimentConfig) -> ConfigError? {
        PrivacyConfig.attackProblem(config, allowed: [.likelihood],
                                    "likelihood (privacy: { attack: likelihood }): documents have no distance or density ratio here")
    }

    /// The likelihood attack's ROC (an empty one for a family without a density, which
    /// offers none of these metrics).
    static func roc<F: GenerativeFamily>(_ c: MetricContext<F>) -> MembershipROC {
        c.shared(rocKey) { LikelihoodAttack.roc(c) ?? MembershipROC(memberScores: [], nonMemberScores: []) }
    }
}
