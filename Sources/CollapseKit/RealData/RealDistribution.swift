/// The ground truth a chain starts from and every metric compares against.
///
/// Samples are flat n×d row-major buffers. One-dimensional shape quantities (CDF,
/// quantiles) are given per coordinate marginal; metrics on d > 1 average them.
public protocol RealDistribution: Sendable {
    var dimension: Int { get }
    /// E[X].
    var mean: [Double] { get }
    /// Cov[X] (finite for every distribution the config accepts).
    var covariance: SymmetricMatrix { get }
    /// Differential entropy H = −E[log p(X)], in nats (for KL(real ‖ model)).
    var entropy: Double { get }
    /// Draws `count` points (n×d row-major).
    func sample(count: Int, stream: RandomStream) -> [Double]
    /// CDF of coordinate `coordinate`'s marginal.
    func marginalCDF(_ x: Double, coordinate: Int) -> Double
    /// Quantile function of coordinate `coordinate`'s marginal, p in (0, 1).
    func marginalQuantile(_ p: Double, coordinate: Int) -> Double
    /// log p(x) of one point `x` (its `dimension` coordinates), in nats: the real
    /// side of the Monte Carlo KL estimate of the kde and gmm families.
    func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double
    /// False for a distribution without a density (a file's empirical distribution):
    /// its entropy and log-density are NaN, and the metrics that need them unavailable.
    var hasDensity: Bool { get }
    /// The Kolmogorov–Smirnov distance sup_x |F_n(x) − F(x)| of a sorted sample to
    /// coordinate j's marginal.
    func kolmogorovSmirnov(sorted x: [Double], coordinate j: Int) -> Double
}

extension RealDistribution {
    public var hasDensity: Bool { true }

    /// Against a continuous marginal CDF (``SampleMetrics/kolmogorovSmirnov(sorted:cdf:)``).
    public func kolmogorovSmirnov(sorted x: [Double], coordinate j: Int) -> Double {
        SampleMetrics.kolmogorovSmirnov(sorted: x) { marginalCDF($0, coordinate: j) }
    }

    /// (1/m) Σᵢ log p(xᵢ) over the m points of a flat m×d row-major buffer; NaN when empty.
    public func meanLogDensity(_ points: [Double]) -> Double {
        let d = dimension, m = points.count / d
        guard m > 0 else { return .nan }
        var total = 0.0
        points.withUnsafeBufferPointer { p in
            for i in 0..<m { total += logDensity(UnsafeBufferPointer(rebasing: p[(i * d)..<((i + 1) * d)])) }
        }
        return total / Double(m)
    }

    /// Standard deviation of each coordinate.
    public var marginalStandardDeviations: [Double] {
        (0..<dimension).map { covariance[$0, $0].squareRoot() }
    }
}
