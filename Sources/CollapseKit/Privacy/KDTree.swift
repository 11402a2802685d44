/// An exact nearest-neighbour index for low dimensions: a k-d tree (Bentley 1975;
/// Friedman, Bentley & Finkel 1977) over the reference rows, split at the median of the
/// coordinate of widest spread, leaves of at most 16 rows. A query descends to the
/// nearer side first and skips a subtree whose cell lies at least as far as its best
/// squared distance so far (the cell distance kept incrementally, Arya & Mount 1993), so the answer equals the brute-force scan's: each
/// squared distance is summed over the coordinates in the same order, bit for bit.
/// ``NearestNeighbours`` uses it for d ≤ 16, where it prunes; beyond, a k-d tree visits
/// nearly every leaf (Weber et al. 1998) and the blocked scan is faster.
struct KDTree {
    private let d: Int
    /// The reference rows, reordered so that every node's rows are contiguous.
    private var rows: [Double]
    /// Nodes: `lower..<upper` rows; an inner node's split coordinate and value, children.
    private var lower: [Int32] = [], upper: [Int32] = [], axis: [Int32] = [], split: [Double] = []
    private var left: [Int32] = [], right: [Int32] = []
    static let leafSize = 16

    init(reference: [Double], dimension d: Int) {
        self.d = d
        let n = reference.count / d
        var order = Array(0..<n)
        var nodes: [(Int, Int, Int)] = []  // (lower, upper, node index) to split
        lower.append(0); upper.append(Int32(n)); axis.append(-1); split.append(0); left.append(-1); right.append(-1)
        nodes.append((0, n, 0))
        while let (lo, hi, node) = nodes.popLast() {
            guard hi - lo > Self.leafSize else { continue }
            var widest = 0, spread = -1.0
            for k in 0..<d {
                var mn = Double.infinity, mx = -Double.infinity
                for i in lo..<hi { let x = reference[order[i] * d + k]; mn = min(mn, x); mx = max(mx, x) }
                if mx - mn > spread { spread = mx - mn; widest = k }
            }
            guard spread > 0 else { continue }  // all rows equal: a leaf
            order[lo..<hi].sort { reference[$0 * d + widest] < reference[$1 * d + widest] }
            let mid = (lo + hi) / 2
            axis[node] = Int32(widest)
            split[node] = reference[order[mid] * d + widest]
            for (a, b) in [(lo, mid), (mid, hi)] {
                let child = lower.count
                lower.append(Int32(a)); upper.append(Int32(b)); axis.append(-1); split.append(0); left.append(-1); right.append(-1)
                if a == lo { left[node] = Int32(child) } else { right[node] = Int32(child) }
                nodes.append((a, b, child))
            }
        }
        var reordered = [Double](repeating: 0, count: n * d)
        for (i, r) in order.enumerated() { for k in 0..<d { reordered[i * d + k] = reference[r * d + k] } }
        rows = reordered
    }

    /// The squared distance from each query row to its nearest reference row (∞ for an
    /// empty reference).
    func squaredDistances(queries: [Double]) -> [Double] {
        let m = queries.count / d
        var out = [Double](repeating: .infinity, count: m)
        guard !rows.isEmpty else { return out }
        var offsets = [Double](repeating: 0, count: d)
        queries.withUnsafeBufferPointer { q in
            rows.withUnsafeBufferPointer { r in
                offsets.withUnsafeMutableBufferPointer { off in
                    for i in 0..<m {
                        var best = Double.infinity
                        for k in 0..<d { off[k] = 0 }
                        search(0, bound: 0, query: q.baseAddress! + i * d, rows: r, offsets: off, best: &best)
                        out[i] = best
                    }
                }
            }
        }
        return out
    }

    /// Arya & Mount's incremental distance (1993): `bound` is the squared distance from the
    /// query to the node's cell, `offsets` the query's per-coordinate distance to it, so
    /// entering the far child changes one term of the bound.
    private func search(_ node: Int, bound: Double, query q: UnsafePointer<Double>, rows r: UnsafeBufferPointer<Double>,
                        offsets off: UnsafeMutableBufferPointer<Double>, best: inout Double) {
        let a = Int(axis[node])
        if a < 0 {
            for j in Int(lower[node])..<Int(upper[node]) {
                let rj = j * d
                var s = 0.0
                var k = 0
                while k < d {
                    let t = q[k] - r[rj + k]
                    s += t * t
                    k += 1
                    if s >= best { break }
                }
                if s < best { best = s }
            }
            return
        }
        let diff = q[a] - split[node]
        let (near, far) = diff < 0 ? (Int(left[node]), Int(right[node])) : (Int(right[node]), Int(left[node]))
        search(near, bound: bound, query: q, rows: r, offsets: off, best: &best)
        let old = off[a]
        let farBound = bound - old * old + diff * diff
        if farBound < best {
            off[a] = diff
            search(far, bound: farBound, query: q, rows: r, offsets: off, best: &best)
            off[a] = old
        }
    }
}
