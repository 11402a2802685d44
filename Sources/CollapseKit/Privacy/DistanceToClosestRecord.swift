import Foundation

/// SDMetrics' distance-to-closest-record scores (SDMetrics 0.19+,
/// `DCRBaselineProtection` and `DCROverfittingProtection`, docs.sdv.dev), on rows of
/// points or of a mixed table. The distance between two rows is the average over
/// columns of |a_j − b_j| / range_j for a numeric column, range_j the real (training)
/// column's max − min (a column with zero range contributes 0 when equal, 1 otherwise),
/// and 0 or 1 (equal or not) for a categorical column; a row's DCR is its distance to
/// the closest row of the other set.
///
/// - `baselineProtection`: min(1, median DCR(synthetic → real) / median DCR(random →
///   real)), the random rows uniform within each real numeric column's range and
///   uniform over each categorical column's levels present in the real rows, as many as
///   the synthetic ones. NaN when the random median is 0.
/// - `overfittingProtection`: with p the share of synthetic rows strictly closer to the
///   training rows than to the holdout rows, min(1, 2(1 − p)). NaN without synthetic
///   rows.
///
/// - Complexity: O(m n d) per DCR vector (brute force).
public enum DistanceToClosestRecord {
    /// Each real numeric column's range (max − min; 0 without rows).
    public static func ranges(_ real: MixedTable) -> [Double] {
        real.numeric.map { column in
            guard let lo = column.min(), let hi = column.max() else { return 0 }
            return hi - lo
        }
    }

    /// Each query row's DCR to `reference`, with the numeric columns' `ranges`.
    public static func dcr(_ queries: MixedTable, to reference: MixedTable, ranges: [Double]) -> [Double] {
        let p = queries.numeric.count, q = queries.categorical.count, d = p + q
        precondition(reference.numeric.count == p && reference.categorical.count == q && ranges.count == p)
        guard d > 0 else { return [Double](repeating: .nan, count: queries.count) }
        let inverse = ranges.map { $0 > 0 ? 1 / $0 : 0 }
        let x = DistanceRows(queries, scale: [Double](repeating: 0, count: p))
        let y = DistanceRows(reference, scale: [Double](repeating: 0, count: p))
        return x.numeric.withUnsafeBufferPointer { a in
            y.numeric.withUnsafeBufferPointer { b in
                (0..<queries.count).map { i in
                    var best = Double.infinity
                    for k in 0..<reference.count {
                        var s = 0.0
                        for j in 0..<q where x.categorical[i * q + j] != y.categorical[k * q + j] { s += 1 }
                        for j in 0..<p {
                            let diff = abs(a[i * p + j] - b[k * p + j])
                            s += inverse[j] > 0 ? diff * inverse[j] : (diff == 0 ? 0 : 1)
                        }
                        best = min(best, s)
                    }
                    return best / Double(d)
                }
            }
        }
    }

    /// `DCRBaselineProtection` of `synthetic` against `real`, the random baseline drawn
    /// from `stream` (uniform in each real numeric column's [min, max], uniform over each
    /// categorical column's levels present in `real`).
    public static func baselineProtection(synthetic: MixedTable, real: MixedTable, stream: RandomStream) -> Double {
        let m = synthetic.count
        let numeric = real.numeric.map { column -> [Double] in
            let lo = column.min() ?? 0, range = (column.max() ?? 0) - lo
            return (0..<m).map { _ in lo + range * stream.uniform() }
        }
        let categorical = real.categorical.map { column -> [Int32] in
            let present = Array(Set(column)).sorted()
            return (0..<m).map { _ in present.isEmpty ? 0 : present[stream.uniformIndex(below: present.count)] }
        }
        let random = MixedTable(schema: real.schema, numeric: numeric, categorical: categorical)
        return baselineProtection(synthetic: synthetic, random: random, real: real)
    }

    /// `DCRBaselineProtection` with the random rows given.
    public static func baselineProtection(synthetic: MixedTable, random: MixedTable, real: MixedTable) -> Double {
        guard synthetic.count > 0, real.count > 0 else { return .nan }
        let range = ranges(real)
        let synthetic = Statistics.median(dcr(synthetic, to: real, ranges: range))
        let baseline = Statistics.median(dcr(random, to: real, ranges: range))
        guard baseline > 0 else { return .nan }
        return min(1, synthetic / baseline)
    }

    /// `DCROverfittingProtection` of `synthetic` with the training rows and the
    /// holdout rows (the ranges are the training rows').
    public static func overfittingProtection(synthetic: MixedTable, training: MixedTable, holdout: MixedTable) -> Double {
        guard synthetic.count > 0, training.count > 0, holdout.count > 0 else { return .nan }
        let range = ranges(training)
        let toTraining = dcr(synthetic, to: training, ranges: range)
        let toHoldout = dcr(synthetic, to: holdout, ranges: range)
        let closer = zip(toTraining, toHoldout).count { $0 < $1 }
        return min(1, 2 * (1 - Double(closer) / Double(synthetic.count)))
    }

    // Points: the same scores, each point a row of numeric columns.

    public static func ranges(_ real: Dataset) -> [Double] { ranges(table(real)) }

    public static func dcr(_ queries: Dataset, to reference: Dataset, ranges: [Double]) -> [Double] {
        dcr(table(queries), to: table(reference), ranges: ranges)
    }

    public static func baselineProtection(synthetic: Dataset, real: Dataset, stream: RandomStream) -> Double {
        baselineProtection(synthetic: table(synthetic), real: table(real), stream: stream)
    }

    public static func baselineProtection(synthetic: Dataset, random: Dataset, real: Dataset) -> Double {
        baselineProtection(synthetic: table(synthetic), random: table(random), real: table(real))
    }

    public static func overfittingProtection(synthetic: Dataset, training: Dataset, holdout: Dataset) -> Double {
        overfittingProtection(synthetic: table(synthetic), training: table(training), holdout: table(holdout))
    }

    private static func table(_ data: Dataset) -> MixedTable { MixedTable(rowMajor: data.values, dimension: data.dimension) }
}

/// Authenticity (Alaa, van Breugel, Saveliev & van der Schaar 2022, "How faithful is
/// your synthetic data?", §3.3): the share of synthetic points s whose nearest
/// training point r* is farther from s than from r*'s own nearest other training point
/// (a synthetic point inside that radius is deemed a copy). Euclidean distance on rows
/// already scaled as the caller wants (``DistanceRows``); NaN without synthetic points
/// or with fewer than two training points.
public enum Authenticity {
    public static func share(synthetic: DistanceRows, training: DistanceRows) -> Double {
        let m = synthetic.count, n = training.count
        guard m > 0, n > 1 else { return .nan }
        let own = training.nearest(in: training, excludingSelf: true).squaredDistances
        let nearest = synthetic.nearest(in: training)
        var authentic = 0
        for i in 0..<m where nearest.squaredDistances[i] > own[nearest.indices[i]] { authentic += 1 }
        return Double(authentic) / Double(m)
    }

    public static func share(synthetic: [Double], training: [Double], dimension d: Int) -> Double {
        let unit = [Double](repeating: 1, count: d)
        return share(synthetic: DistanceRows(Dataset(values: synthetic, dimension: d), scale: unit),
                     training: DistanceRows(Dataset(values: training, dimension: d), scale: unit))
    }
}
