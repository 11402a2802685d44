/// What every metric needs to know about the real distribution, computed once per
/// cell: moments, the moment-matched Gaussian's factorizations, and the 1% / 99%
/// quantiles of each coordinate's marginal. A class: the families and metrics of a cell
/// share one, built once when the config is read.
public final class RealReference: Sendable {
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

    /// Why metrics cannot be computed against a distribution (for config errors).
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Precomputes everything, or throws when the covariance is not finite and
    /// positive definite in double precision, or the entropy or a 1% / 99% quantile is
    /// not finite (every validated config passes).
    public init(_ distribution: any RealDistribution) throws(Problem) {
        let cov = distribution.covariance
        guard cov.isFinite, let inverse = cov.inverse(), let root = cov.squareRoot() else {
            throw Problem(description: "a distribution whose covariance (\(cov.values.map(NumberFormat.double).joined(separator: ", "))) is not finite and positive definite in double precision")
        }
        let entropy = distribution.entropy
        guard entropy.isFinite else {
            throw Problem(description: "a distribution whose entropy cannot be computed reliably (components too narrow or too far apart)")
        }
        let d = distribution.dimension
        let q01 = (0..<d).map { distribution.marginalQuantile(Self.tailProbability, coordinate: $0) }
        let q99 = (0..<d).map { distribution.marginalQuantile(1 - Self.tailProbability, coordinate: $0) }
        guard (0..<d).allSatisfy({ q01[$0].isFinite && q99[$0].isFinite && q01[$0] < q99[$0] }) else {
            throw Problem(description: "a distribution whose 1% and 99% quantiles are not finite and distinct")
        }
        self.distribution = distribution
        self.dimension = d
        self.mean = distribution.mean
        self.covariance = cov
        self.covarianceInverse = inverse
        self.covarianceSquareRoot = root
        self.marginalSDs = distribution.marginalStandardDeviations
        self.q01 = q01
        self.q99 = q99
        self.entropy = entropy
    }
}
