/// Exact nearest-neighbour distances: for each query row, the Euclidean distance to the
/// closest reference row (row-major buffers of width d), the scalar scan's value and
/// index bit for bit whichever search finds it. For d ≤ 16 and at least 256 reference
/// rows ``KDTree`` (``squaredDistances(queries:reference:dimension:excludingSelf:)``
/// only); for d > 16 ``ProductScan`` (an AVX-512 or AVX2 matrix product with an exact
/// recheck), else ``BlockedScan``; otherwise blocked brute force, below: queries are
/// taken in blocks of 16 against each reference row so one pass over the
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
        if d > 16 {
            return ProductScan.nearest(queries: queries, reference: reference, dimension: d, excludingSelf: excludingSelf)
                ?? BlockedScan.nearest(queries: queries, reference: reference, dimension: d, excludingSelf: excludingSelf)
        }
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

/// Rows prepared for the attacks' distances: numeric columns divided by a scale
/// (row-major, width `numericWidth`) and categorical codes (row-major, width
/// `categoricalWidth`). The squared distance of two rows is the squared Euclidean
/// distance of their scaled numeric parts plus the number of categorical columns where
/// they differ (a mismatch counts 1, as TAPAS's ClosestDistance on mixed tables).
public struct DistanceRows: Sendable {
    public var numeric: [Double]
    public var numericWidth: Int
    public var categorical: [Int32] = []
    public var categoricalWidth = 0
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

    /// Rows of a ``MixedTable``, its numeric columns (in table order) divided by
    /// `scale` (one entry per numeric column; a scale of 0 leaves the column as it is).
    public init(_ table: MixedTable, scale: [Double]) {
        let p = table.numeric.count, q = table.categorical.count, n = table.count
        var v = [Double](repeating: 0, count: n * p)
        for (j, column) in table.numeric.enumerated() {
            let inverse = scale[j] > 0 ? 1 / scale[j] : 1
            for i in 0..<n { v[i * p + j] = column[i] * inverse }
        }
        var codes = [Int32](repeating: 0, count: n * q)
        for (j, column) in table.categorical.enumerated() { for i in 0..<n { codes[i * q + j] = column[i] } }
        numeric = v
        numericWidth = p
        categorical = codes
        categoricalWidth = q
        count = n
    }

    /// For each row of `self`, the squared distance to its nearest row of `reference`
    /// (∞ when it is empty): the k-d tree for numeric rows of d ≤ 16, else as ``nearest(in:excludingSelf:)``.
    public func squaredDistances(to reference: DistanceRows) -> [Double] {
        if categoricalWidth == 0, numericWidth > 0 {
            return NearestNeighbours.squaredDistances(queries: numeric, reference: reference.numeric, dimension: numericWidth)
        }
        return nearest(in: reference).squaredDistances
    }

    /// For each row of `self`, the squared distance to its nearest row of `reference`
    /// and that row's index (the first of equally near rows; −1 when `reference` is
    /// empty); with `excludingSelf` the two are the same rows and row i skips itself.
    /// Purely numeric rows go to ``NearestNeighbours`` (its k-d tree or blocked scan);
    /// mixed rows are scanned exactly, the partial sum abandoned once it reaches the
    /// current best.
    public func nearest(in reference: DistanceRows, excludingSelf: Bool = false) -> (squaredDistances: [Double], indices: [Int]) {
        precondition(numericWidth == reference.numericWidth && categoricalWidth == reference.categoricalWidth)
        if categoricalWidth == 0 {
            return NearestNeighbours.nearest(queries: numeric, reference: reference.numeric, dimension: max(numericWidth, 1),
                                             excludingSelf: excludingSelf)
        }
        let p = numericWidth, q = categoricalWidth, m = count, n = reference.count
        var best = [Double](repeating: .infinity, count: m)
        var index = [Int](repeating: -1, count: m)
        numeric.withUnsafeBufferPointer { x in
          categorical.withUnsafeBufferPointer { c in
            reference.numeric.withUnsafeBufferPointer { y in
              reference.categorical.withUnsafeBufferPointer { k in
                for i in 0..<m {
                    var b = Double.infinity, at = -1
                    for j in 0..<n {
                        if excludingSelf && i == j { continue }
                        var s = 0.0
                        for a in 0..<q where c[i * q + a] != k[j * q + a] { s += 1 }
                        if s >= b { continue }
                        var t = 0
                        while t < p {
                            let e = x[i * p + t] - y[j * p + t]
                            s += e * e
                            t += 1
                            if s >= b { break }
                        }
                        if s < b { b = s; at = j }
                    }
                    best[i] = b
                    index[i] = at
                }
              }
            }
          }
        }
        return (best, index)
    }
}
