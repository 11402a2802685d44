/// The per-generation measurements, by the names written in `metrics.csv`
/// (a contract: scripts select on these strings).
public enum MetricName: String, CaseIterable, Codable, Comparable, Sendable {
    // Model-based (from the fitted parameters).
    case mean
    case variance
    case trace
    case logdet
    case varianceRatio = "variance_ratio"
    case meanDrift = "mean_drift"
    case w2
    case kl
    case tailMassRatio = "tail_mass_ratio"
    case quantileSpreadRatio = "quantile_spread_ratio"
    // On the generated sample.
    case sampleTailMassRatio = "sample_tail_mass_ratio"
    case sampleSkewness = "sample_skewness"
    case sampleKurtosis = "sample_kurtosis"
    case ks
    // Held-out likelihood (kde, gmm).
    case nllHeldout = "nll_heldout"
    // Mixture components (gmm).
    case modesRetained = "modes_retained"
    case minWeight = "min_weight"
    // Categorical.
    case supportSize = "support_size"
    case lostMass = "lost_mass"
    case tailMassRetained = "tail_mass_retained"
    case entropy
    case heterozygosity
    case tv
    // Linear regression.
    case testError = "test_error"
    case noiseEstimate = "noise_estimate"
    // Mixed tables (copula): the batch against held-out rows (``TableMetrics``).
    case ksComplement = "ks_complement"
    case tvComplement = "tv_complement"
    case correlationSimilarity = "correlation_similarity"
    case contingencySimilarity = "contingency_similarity"
    case rareCategoryLoss = "rare_category_loss"
    case rangeCoverage = "range_coverage"
    // Text (ngram).
    case perplexityHeldout = "perplexity_heldout"
    case vocabularyRetained = "vocabulary_retained"
    case distinct2 = "distinct_2"
    case zipfExponent = "zipf_exponent"
    case unigramTV = "unigram_tv"
    case meanLength = "mean_length"
    // External generators of labelled tables.
    case labelCoverage = "label_coverage"
    // Privacy (docs/metrics.md#privacy): membership inference, distances to the closest
    // record, authenticity, and the DP accountant's spend.
    case miaAUC = "mia_auc"
    case miaAdvantage = "mia_advantage"
    case miaTPRAtLowFPR = "mia_tpr_at_low_fpr"
    case miaEpsilonLower = "mia_epsilon_lower"
    case dcrOverfittingProtection = "dcr_overfitting_protection"
    case dcrBaselineProtection = "dcr_baseline_protection"
    case authenticity = "authenticity"
    case epsilonSpent = "epsilon_spent"
    // Downstream utility and fairness of tables with a label (docs/metrics.md#utility-and-fairness):
    // a model trained on the batch (TSTR) or on R₀ (TRTR), tested on held-out real rows.
    case tstrAccuracy = "tstr_accuracy"
    case tstrAUC = "tstr_auc"
    case tstrR2 = "tstr_r2"
    case trtrAccuracy = "trtr_accuracy"
    case trtrAUC = "trtr_auc"
    case trtrR2 = "trtr_r2"
    case utilityRatio = "utility_ratio"
    case demographicParityRatio = "demographic_parity_ratio"
    case equalOpportunityDifference = "equal_opportunity_difference"
    case trtrDemographicParityRatio = "trtr_demographic_parity_ratio"
    case trtrEqualOpportunityDifference = "trtr_equal_opportunity_difference"
    // Policy steps (policy.curate).
    case curatedFraction = "curated_fraction"
    case reviewCost = "review_cost"
    case ruleViolationRate = "rule_violation_rate"

    public static func < (a: MetricName, b: MetricName) -> Bool { a.rawValue < b.rawValue }
}
