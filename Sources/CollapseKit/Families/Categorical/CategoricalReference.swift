/// The real categorical distribution as the metrics need it: its probabilities and
/// its tail set, computed once per cell.
///
/// The tail set is the real distribution's rarest categories holding exactly
/// ``tailMass`` (10%) of the real mass: categories sorted by real probability
/// ascending (ties: higher index first) are taken until the cumulative real mass
/// reaches 0.1, the boundary category counting with the fraction that makes the
/// set's real mass exactly 0.1. A model's mass on the set is Σ weight_k · p̂_k.
public struct CategoricalReference: Sendable {
    /// Real mass of the tail set.
    public static let tailMass = 0.1

    public let probabilities: [Double]
    /// The tail set's categories and their weights (1, except possibly the last,
    /// the boundary category, whose weight is in (0, 1]).
    public let tailCategories: [Int]
    public let tailWeights: [Double]

    /// - Parameter probabilities: non-negative, summing to 1, at least one category.
    public init(probabilities p: [Double]) {
        precondition(!p.isEmpty)
        probabilities = p
        let ascending = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) }
        var categories: [Int] = [], weights: [Double] = []
        var cumulative = 0.0
        for k in ascending where cumulative < Self.tailMass {
            if p[k] == 0 { continue }
            let remaining = Self.tailMass - cumulative
            categories.append(k)
            if p[k] <= remaining {
                weights.append(1)
                cumulative += p[k]
            } else {
                weights.append(remaining / p[k])
                cumulative = Self.tailMass
            }
        }
        tailCategories = categories
        tailWeights = weights
    }

    public var categoryCount: Int { probabilities.count }

    /// Σ weight_k · q_k over the tail set: a distribution's mass on the real tail.
    public func tailMass(of q: [Double]) -> Double {
        var m = 0.0
        for (k, w) in zip(tailCategories, tailWeights) { m += w * q[k] }
        return m
    }
}
