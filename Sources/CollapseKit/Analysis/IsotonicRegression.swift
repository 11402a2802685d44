/// Weighted isotonic (monotone non-decreasing) least-squares regression by the
/// pool-adjacent-violators algorithm (PAVA).
///
/// Given values y₁ … yₖ at increasing x with weights w > 0, the fit ŷ minimises
/// Σ wᵢ (yᵢ − ŷᵢ)² subject to ŷ₁ ≤ … ≤ ŷₖ. PAVA scans left to right, keeping blocks of
/// pooled points; whenever a block's weighted mean is below its left neighbour's, the
/// two are merged, until the block means increase. Every point's fit is its block's mean.
///
/// Source: Ayer, Brunk, Ewing, Reid and Silverman (1955), "An empirical distribution
/// function for sampling with incomplete information", Ann. Math. Statist. 26(4),
/// 641–647; Barlow, Bartholomew, Bremner and Brunk (1972), *Statistical Inference under
/// Order Restrictions*, ch. 1; the up-and-down-blocks form of de Leeuw, Hornik and Mair
/// (2009), "Isotone optimization in R", J. Stat. Softw. 32(5), §2.
///
/// - Complexity: O(k): each point joins a block once and blocks merge at most k − 1 times.
public enum IsotonicRegression {
    /// The non-decreasing fit of `values` (in x order) with `weights` (all > 0; equal
    /// weights when empty).
    public static func fit(_ values: [Double], weights: [Double] = []) -> [Double] {
        precondition(weights.isEmpty || weights.count == values.count, "one weight per value")
        precondition(weights.allSatisfy { $0 > 0 }, "weights must be > 0")
        // Blocks: (weighted mean, total weight, number of points).
        var means: [Double] = [], totals: [Double] = [], counts: [Int] = []
        for (i, y) in values.enumerated() {
            var mean = y, total = weights.isEmpty ? 1 : weights[i], count = 1
            while let last = means.last, last > mean {
                let t = totals.last!
                mean = (last * t + mean * total) / (t + total)
                total += t
                count += counts.last!
                means.removeLast(); totals.removeLast(); counts.removeLast()
            }
            means.append(mean); totals.append(total); counts.append(count)
        }
        var out: [Double] = []
        out.reserveCapacity(values.count)
        for (mean, count) in zip(means, counts) { out.append(contentsOf: repeatElement(mean, count: count)) }
        return out
    }
}
