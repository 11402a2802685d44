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

    /// Why metrics cannot be computed against `distribution` (a variance that is not
    /// a positive finite double, an entropy or quantile that is not finite), or nil.
    public static func problem(with distribution: any RealDistribution) -> String? {
        let cov = distribution.covariance
        guard cov.isFinite, cov.cholesky() != nil else {
            return "a distribution whose covariance (\(cov.values.map(NumberFormat.double).joined(separator: ", "))) is not finite and positive definite in double precision"
        }
        guard distribution.entropy.isFinite else {
            return "a distribution whose entropy cannot be computed reliably (components too narrow or too far apart)"
        }
        for j in 0..<distribution.dimension {
            let lo = distribution.marginalQuantile(tailProbability, coordinate: j)
            let hi = distribution.marginalQuantile(1 - tailProbability, coordinate: j)
            guard lo.isFinite, hi.isFinite, lo < hi else {
                return "a distribution whose 1% and 99% quantiles are not finite and distinct"
            }
        }
        return nil
    }

    /// Precomputes everything; `distribution` must pass ``problem(with:)`` (every
    /// validated config does).
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
