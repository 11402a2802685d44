/// The values a metric can take, for the report: a 95% t-interval that crosses one of
/// these bounds (a variance below 0, a share above 1) says the mean is a poor summary
/// there, and the report draws the median with its interquartile range instead.
extension MetricName {
    /// The smallest and largest value the metric can take (nil: unbounded).
    public var bounds: (lower: Double?, upper: Double?) {
        switch self {
        case .mean, .logdet, .sampleSkewness, .nllHeldout:
            return (nil, nil)
        case .sampleKurtosis:
            return (-2, nil)  // excess kurtosis: E[Z⁴]/E[Z²]² ≥ 1
        case .ks, .minWeight, .lostMass, .heterozygosity, .tv, .ksComplement, .tvComplement, .correlationSimilarity,
             .contingencySimilarity, .rareCategoryLoss, .rangeCoverage, .vocabularyRetained, .distinct2, .unigramTV,
             .labelCoverage, .curatedFraction, .ruleViolationRate, .miaAUC, .miaAdvantage, .miaTPRAtLowFPR, .dcrOverfittingProtection,
             .dcrBaselineProtection, .authenticity, .tstrAccuracy, .tstrAUC, .trtrAccuracy, .trtrAUC,
             .demographicParityRatio, .equalOpportunityDifference, .trtrDemographicParityRatio,
             .trtrEqualOpportunityDifference:
            return (0, 1)
        case .tstrR2, .trtrR2:
            return (nil, 1)
        case .utilityRatio:
            return (nil, nil)  // a ratio of R² can be negative
        case .miaEpsilonLower, .epsilonSpent, .reviewCost:
            return (0, nil)
        case .perplexityHeldout:
            return (1, nil)  // exp of a mean of −log p ≥ 0
        case .zipfExponent:
            return (nil, 0)  // the slope of a non-increasing sequence
        case .meanLength:
            return (0, nil)
        case .variance, .trace, .varianceRatio, .meanDrift, .w2, .kl, .tailMassRatio, .quantileSpreadRatio,
             .sampleTailMassRatio, .modesRetained, .supportSize, .tailMassRetained, .entropy, .testError,
             .noiseEstimate:
            return (0, nil)
        }
    }

    /// True when some interval [low, high] reaches outside ``bounds``.
    public func isCrossed(low: [Double], high: [Double]) -> Bool {
        let (lower, upper) = bounds
        return zip(low, high).contains { l, h in
            (lower.map { l.isFinite && l < $0 } ?? false) || (upper.map { h.isFinite && h > $0 } ?? false)
        }
    }
}
