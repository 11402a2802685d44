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
    /// H(real) in nats; NaN for a distribution without a density.
    public let entropy: Double
    /// The real mass outside [q01, q99], averaged over coordinates: the denominator of
    /// the tail-mass ratios. 2 × 0.01 for a continuous distribution; for a file the
    /// share of its values outside its own 1% / 99% quantiles (ties make it smaller).
    public let tailShare: Double
    /// For a 1-D file: ``EmpiricalDistribution/gaussianCrossTerm(coordinate:)``, which
    /// gives the Gaussian family's exact W₂ to the file's values; nil otherwise.
    public let gaussianW2CrossTerm: Double?

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
        guard entropy.isFinite || !distribution.hasDensity else {
            throw Problem(description: "a distribution whose entropy cannot be computed reliably (components too narrow or too far apart)")
        }
        let d = distribution.dimension
        let q01 = (0..<d).map { distribution.marginalQuantile(Self.tailProbability, coordinate: $0) }
        let q99 = (0..<d).map { distribution.marginalQuantile(1 - Self.tailProbability, coordinate: $0) }
        guard (0..<d).allSatisfy({ q01[$0].isFinite && q99[$0].isFinite && q01[$0] < q99[$0] }) else {
            throw Problem(description: distribution is EmpiricalDistribution
                ? "columns whose 1% and 99% quantiles are distinct (a column with nearly one value has no spread to lose)"
                : "a distribution whose 1% and 99% quantiles are not finite and distinct")
        }
        if let empirical = distribution as? EmpiricalDistribution {
            var share = 0.0
            for j in 0..<d {
                let column = empirical.sortedColumns[j]
                share += Double(column.count { $0 < q01[j] || $0 > q99[j] }) / Double(column.count)
            }
            tailShare = share / Double(d)
            gaussianW2CrossTerm = d == 1 ? empirical.gaussianCrossTerm(coordinate: 0) : nil
        } else {
            tailShare = 2 * Self.tailProbability
            gaussianW2CrossTerm = nil
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
