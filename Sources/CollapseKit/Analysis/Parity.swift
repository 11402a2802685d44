/// The parity share of a `mix` sweep (issue 17): the smallest real share f whose mean
/// utility is within a tolerance of training on 100 % real data.
///
/// Each share's cells give a mean utility and its standard error; the reference is the
/// share 1. A share is within tolerance when its mean is at most `tolerance` worse than
/// the reference's (mean ≥ ref − tol; with `lowerIsBetter`, mean ≤ ref + tol): being
/// better than 100 % real counts as parity. The parity share is the smallest share
/// within tolerance (the reference itself when none is smaller). This is the
/// "how much real data must be kept" question of Bertrand et al. (2024), "On the
/// stability of iterative retraining of generative models on their own data", ICLR
/// (their λ), and Alemohammad et al. (2024), "Self-consuming generative models go MAD",
/// ICLR (the fresh/fixed real share).
public enum Parity {
    /// One share's replicate values per cell (non-finite values dropped).
    public struct Group: Sendable {
        public var share: Double
        public var cells: [[Double]]
        public init(share: Double, cells: [[Double]]) {
            self.share = share
            self.cells = cells.map { $0.filter(\.isFinite) }
        }
    }

    public struct Point: Equatable, Sendable {
        public var share: Double
        public var replicates: Int
        public var mean: Double
        public var se: Double
        /// mean − the reference's mean.
        public var difference: Double
        public var withinTolerance: Bool
        /// The smallest share within tolerance.
        public var isParity: Bool
    }

    public struct Result: Equatable, Sendable {
        public var points: [Point]
        public var reference: Double
        public var parityShare: Double
    }

    /// - Throws: ``AnalysisError/referenceMissing(shares:)`` without a share 1 that has
    ///   finite values.
    public static func analyze(_ groups: [Group], tolerance: Double, lowerIsBetter: Bool = false) throws(AnalysisError) -> Result {
        let sorted = groups.sorted { $0.share < $1.share }
        guard let ref = sorted.first(where: { $0.share == 1 }), !ref.cells.joined().isEmpty else {
            throw .referenceMissing(shares: sorted.map(\.share))
        }
        let reference = ExchangeRate.meanSE(Array(ref.cells.joined())).mean
        var points = sorted.map { g -> Point in
            let values = Array(g.cells.joined())
            let (mean, se) = ExchangeRate.meanSE(values)
            let d = mean - reference
            let within = !values.isEmpty && (lowerIsBetter ? d <= tolerance : d >= -tolerance)
            return Point(share: g.share, replicates: values.count, mean: mean, se: se, difference: d,
                         withinTolerance: within, isParity: false)
        }
        let i = points.firstIndex(where: \.withinTolerance)!
        points[i].isParity = true
        return Result(points: points, reference: reference, parityShare: points[i].share)
    }
}
