/// Exact nearest-neighbour distances: ``KDTree`` for d ≤ 16 and at least 256 reference
/// rows (``squaredDistances(queries:reference:dimension:excludingSelf:)`` only), else
/// blocked brute force: for each query row, the
/// Euclidean distance to the closest reference row (row-major buffers of width d).
/// Queries are taken in blocks of 16 against each reference row so one pass over the
/// reference serves 16 queries (the reference stays in cache); the partial sum is
/// abandoned once it exceeds the query's current best (exact: only rows that cannot be
/// nearer are skipped). The brute-force scan is exact in every dimension, unlike
/// approximate search; for d = 10 or 64 a k-d tree degenerates to it anyway
/// (Weber et al. 1998, "A quantitative analysis … of similarity-search methods in
/// high-dimensional spaces").
///
/// - Complexity: O(m n d) time, O(m) extra space.
public enum NearestNeighbours {
    /// For each of the m query rows, the squared distance to its nearest reference row
    /// (∞ when the reference is empty). With `excludingSelf`, queries and reference are
    /// the same buffer and row i skips itself (its nearest *other* row).
    public static func squaredDistances(queries: [Double], reference: [Double], dimension d: Int,
                                        excludingSelf: Bool = false) -> [Double] {
        // Low dimensions, many rows: the k-d tree (the same distances, found with pruning).
        if !excludingSelf, d <= 16, reference.count / d >= 256 {
            return KDTree(reference: reference, dimension: d).squaredDistances(queries: queries)
        }
        return nearest(queries: queries, reference: reference, dimension: d, excludingSelf: excludingSelf).squaredDistances
    }

    /// For each query row, the squared distance to its nearest reference row and that
    /// row's index (−1 when the reference is empty; the first of equally near rows).
    public static func nearest(queries: [Double], reference: [Double], dimension d: Int,
                               excludingSelf: Bool = false) -> (squaredDistances: [Double], indices: [Int]) {
        precondition(d > 0 && queries.count % d == 0 && reference.count % d == 0)
        let m = queries.count / d, n = reference.count / d
        var best = [Double](repeating: .infinity, count: m)
        var index = [Int](repeating: -1, count: m)
        let block = 16
        queries.withUnsafeBufferPointer { q in
            reference.withUnsafeBufferPointer { r in
                best.withUnsafeMutableBufferPointer { b in
                  index.withUnsafeMutableBufferPointer { ix in
                    var start = 0
                    while start < m {
                        let end = min(m, start + block)
                        for j in 0..<n {
                            let rj = j * d
                            for i in start..<end {
                                if excludingSelf && i == j { continue }
                                let qi = i * d
                                let bound = b[i]
                                var s = 0.0
                                var k = 0
                                while k < d {
                                    let t = q[qi + k] - r[rj + k]
                                    s += t * t
                                    k += 1
                                    if s >= bound { break }
                                }
                                if s < bound { b[i] = s; ix[i] = j }
                            }
                        }
                        start = end
                    }
                  }
                }
            }
        }
        return (best, index)
    }
}

/// Rows prepared for the attacks' Euclidean distances: numeric columns scaled
/// (row-major, width `numericWidth`). Categorical columns (a mismatch counting 1) are
/// still to come with the table families.
public struct DistanceRows: Sendable {
    public var numeric: [Double]
    public var numericWidth: Int
    public var count: Int

    /// Rows of a ``Dataset`` with each coordinate divided by `scale[j]`.
    public init(_ data: Dataset, scale: [Double]) {
        let d = data.dimension
        var v = data.values
        for r in 0..<data.count { for j in 0..<d { v[r * d + j] /= scale[j] } }
        numeric = v
        numericWidth = d
        count = data.count
    }
}
