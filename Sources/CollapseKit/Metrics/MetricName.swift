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

    public static func < (a: MetricName, b: MetricName) -> Bool { a.rawValue < b.rawValue }

    /// The case's position in ``allCases`` (declaration order): a field-less enum of
    /// fewer than 256 cases is stored as that one-byte tag. Equality and hashing use it,
    /// so a metric lookup never hashes the name (which a `String` raw value would).
    @inline(__always) var ordinal: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    public static func == (a: MetricName, b: MetricName) -> Bool { a.ordinal == b.ordinal }
    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }

    /// True for metrics computed on the generated sample rather than the model.
    public var isSampleMetric: Bool {
        switch self {
        case .sampleTailMassRatio, .sampleSkewness, .sampleKurtosis, .ks: return true
        default: return false
        }
    }

    /// The metrics of the Gaussian family in dimension `d`, sorted by name.
    public static func gaussian(dimension d: Int) -> [MetricName] {
        let common: [MetricName] = [.varianceRatio, .meanDrift, .w2, .kl, .tailMassRatio,
                                    .quantileSpreadRatio, .sampleTailMassRatio, .sampleSkewness,
                                    .sampleKurtosis, .ks]
        return (common + (d == 1 ? [.mean, .variance] : [.trace, .logdet])).sorted()
    }

    /// The metrics available for a model family and real distribution, sorted by name
    /// (the default `metrics:` list).
    public static func available(model: ModelConfig.Family, real: RealDataConfig) -> [MetricName] {
        let d = real.dimension
        switch model {
        case .gaussian:
            return gaussian(dimension: d)
        case .kde, .gmm:
            var names = gaussian(dimension: d).filter { $0 != .w2 || d == 1 } + [.nllHeldout]
            if model == .gmm {
                names.append(.minWeight)
                if case .mixture = real { names.append(.modesRetained) }
            }
            return names.sorted()
        case .categorical:
            return [.supportSize, .lostMass, .tailMassRetained, .entropy, .heterozygosity, .tv, .kl].sorted()
        case .linearRegression:
            return [.noiseEstimate, .testError]
        }
    }
}

/// One generation's metric values, indexed by ``MetricName``; NaN where not computed.
public struct MetricValues: Sendable {
    private var storage = [Double](repeating: .nan, count: MetricName.allCases.count)

    public init() {}

    public subscript(name: MetricName) -> Double {
        get { storage[name.ordinal] }
        set { storage[name.ordinal] = newValue }
    }
}
