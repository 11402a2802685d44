/// What every metric needs to know about the real distribution, computed once per
/// cell: moments, the moment-matched Gaussian's factorizations, and the 1% / 99%
/// quantiles of each coordinate's marginal.
public struct RealReference: Sendable {
    public let distribution: any RealDistribution
    public let dimension: Int
    public let mean: [Double]
    public let covariance: SymmetricMatrix
    public let covarianceInverse: SymmetricMatrix
    public let covarianceSquareRoot: SymmetricMatrix
    public let marginalSDs: [Double]
    public let q01: [Double]
    public let q99: [Double]
    public let entropy: Double

    /// The tail probability on each side used by the tail metrics.
    public static let tailProbability = 0.01

    public init(_ distribution: any RealDistribution) {
        self.distribution = distribution
        dimension = distribution.dimension
        mean = distribution.mean
        covariance = distribution.covariance
        covarianceInverse = covariance.inverse()!
        covarianceSquareRoot = covariance.squareRoot()!
        marginalSDs = distribution.marginalStandardDeviations
        q01 = (0..<dimension).map { distribution.marginalQuantile(Self.tailProbability, coordinate: $0) }
        q99 = (0..<dimension).map { distribution.marginalQuantile(1 - Self.tailProbability, coordinate: $0) }
        entropy = distribution.entropy
    }
}
