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
}

extension RealDistribution {
    /// Standard deviation of each coordinate.
    public var marginalStandardDeviations: [Double] {
        (0..<dimension).map { covariance[$0, $0].squareRoot() }
    }
}
