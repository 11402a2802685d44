import Foundation

/// SDMetrics' distance-to-closest-record scores (SDMetrics 0.19+,
/// `DCRBaselineProtection` and `DCROverfittingProtection`, docs.sdv.dev), on numeric
/// rows. The distance between two rows is the average over columns of
/// |a_j − b_j| / range_j, range_j the real (training) column's max − min (a column
/// with zero range contributes 0 when equal, 1 otherwise, as a categorical column
/// does); a row's DCR is its distance to the closest row of the other set.
///
/// - `baselineProtection`: min(1, median DCR(synthetic → real) / median DCR(random →
///   real)), the random rows uniform within each real column's range, as many as the
///   synthetic ones. NaN when the random median is 0.
/// - `overfittingProtection`: with p the share of synthetic rows strictly closer to the
///   training rows than to the holdout rows, min(1, 2(1 − p)). NaN without synthetic
///   rows.
///
/// - Complexity: O(m n d) per DCR vector (brute force).
public enum DistanceToClosestRecord {
    /// Each real column's range (max − min).
    public static func ranges(_ real: Dataset) -> [Double] {
        let d = real.dimension
        return (0..<d).map { j in
            var lo = Double.infinity, hi = -Double.infinity
            for r in 0..<real.count {
                let x = real.values[r * d + j]
                lo = min(lo, x)
                hi = max(hi, x)
            }
            return real.count > 0 ? hi - lo : 0
        }
    }

    /// Each query row's DCR to `reference`, with the columns' `ranges`.
    public static func dcr(_ queries: Dataset, to reference: Dataset, ranges: [Double]) -> [Double] {
        let d = queries.dimension
        precondition(reference.dimension == d && ranges.count == d)
        let inverse = ranges.map { $0 > 0 ? 1 / $0 : 0 }
        return queries.values.withUnsafeBufferPointer { q in
            reference.values.withUnsafeBufferPointer { r in
                (0..<queries.count).map { i in
                    var best = Double.infinity
                    for k in 0..<reference.count {
                        var s = 0.0
                        for j in 0..<d {
                            let diff = abs(q[i * d + j] - r[k * d + j])
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
    /// from `stream` (uniform in each real column's [min, max]).
    public static func baselineProtection(synthetic: Dataset, real: Dataset, stream: RandomStream) -> Double {
        let d = real.dimension
        let range = ranges(real)
        var lows = [Double](repeating: .infinity, count: d)
        for r in 0..<real.count { for j in 0..<d { lows[j] = min(lows[j], real.values[r * d + j]) } }
        var random = [Double](repeating: 0, count: synthetic.count * d)
        for i in 0..<synthetic.count { for j in 0..<d { random[i * d + j] = lows[j] + range[j] * stream.uniform() } }
        return baselineProtection(synthetic: synthetic, random: Dataset(values: random, dimension: d), real: real)
    }

    /// `DCRBaselineProtection` with the random rows given.
    public static func baselineProtection(synthetic: Dataset, random: Dataset, real: Dataset) -> Double {
        guard synthetic.count > 0, real.count > 0 else { return .nan }
        let range = ranges(real)
        let synthetic = Statistics.median(dcr(synthetic, to: real, ranges: range))
        let baseline = Statistics.median(dcr(random, to: real, ranges: range))
        guard baseline > 0 else { return .nan }
        return min(1, synthetic / baseline)
    }

    /// `DCROverfittingProtection` of `synthetic` with the training rows and the
    /// holdout rows (the ranges are the training rows').
    public static func overfittingProtection(synthetic: Dataset, training: Dataset, holdout: Dataset) -> Double {
        guard synthetic.count > 0, training.count > 0, holdout.count > 0 else { return .nan }
        let range = ranges(training)
        let toTraining = dcr(synthetic, to: training, ranges: range)
        let toHoldout = dcr(synthetic, to: holdout, ranges: range)
        let closer = zip(toTraining, toHoldout).count { $0 < $1 }
        return min(1, 2 * (1 - Double(closer) / Double(synthetic.count)))
    }
}

/// Authenticity (Alaa, van Breugel, Saveliev & van der Schaar 2022, "How faithful is
/// your synthetic data?", §3.3): the share of synthetic points s whose nearest
/// training point r* is farther from s than from r*'s own nearest other training point
/// (a synthetic point inside that radius is deemed a copy). Euclidean distance on rows
/// already scaled as the caller wants (``DistanceRows``); NaN without synthetic points
/// or with fewer than two training points.
public enum Authenticity {
    public static func share(synthetic: [Double], training: [Double], dimension d: Int) -> Double {
        let m = synthetic.count / d, n = training.count / d
        guard m > 0, n > 1 else { return .nan }
        let own = NearestNeighbours.squaredDistances(queries: training, reference: training, dimension: d,
                                                     excludingSelf: true)
        let nearest = NearestNeighbours.nearest(queries: synthetic, reference: training, dimension: d)
        var authentic = 0
        for i in 0..<m where nearest.squaredDistances[i] > own[nearest.indices[i]] { authentic += 1 }
        return Double(authentic) / Double(m)
    }
}
