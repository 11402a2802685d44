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

    public static func < (a: MetricName, b: MetricName) -> Bool { a.rawValue < b.rawValue }

    /// True for metrics computed on the generated sample rather than the model.
    public var isSampleMetric: Bool {
        switch self {
        case .sampleTailMassRatio, .sampleSkewness, .sampleKurtosis, .ks: return true
        default: return false
        }
    }

    /// The metrics that apply to a Gaussian model of dimension `d`, sorted by name.
    public static func gaussian(dimension d: Int) -> [MetricName] {
        allCases.filter { name in
            switch name {
            case .mean, .variance: return d == 1
            case .trace, .logdet: return d > 1
            default: return true
            }
        }.sorted()
    }
}

/// One generation's metric values, indexed by ``MetricName``; NaN where not computed.
public struct MetricValues: Sendable {
    private var storage = [Double](repeating: .nan, count: MetricName.allCases.count)
    private static let index: [MetricName: Int] = Dictionary(
        uniqueKeysWithValues: MetricName.allCases.enumerated().map { ($1, $0) })

    public init() {}

    public subscript(name: MetricName) -> Double {
        get { storage[Self.index[name]!] }
        set { storage[Self.index[name]!] = newValue }
    }
}
