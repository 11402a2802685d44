import CNearest

/// The fast exact nearest-neighbour scan of ``NearestNeighbours`` for d > 16 on x86-64
/// CPUs with AVX-512 or AVX2 and fused multiply-add (the C target `CNearest`): the
/// matrix-product form ‖r‖² − 2q·r (scikit-learn's brute force, Goto & van de Geijn
/// 2008's register-blocked product: 8 queries × 24 rows in zmm registers, or 6 × 8 in
/// ymm), fused with each query's running minimum so no distance matrix is stored, then
/// an exact recheck: every row whose product value lies within a proven floating-point
/// error bound of the query's least value (`Sources/CNearest/Nearest.c` derives it,
/// Higham 2002 §3.1) is summed again exactly in the scalar scan's order, and the least
/// sum, the first row among equal ones, is the answer. The distances and indices are
/// therefore the scalar scan's bit for bit (tested against it, and against
/// ``BlockedScan``). Returns nil where it does not apply (another CPU, an empty side,
/// or inputs that are not finite or exceed 2²⁰⁰ in magnitude); the caller then scans
/// with ``BlockedScan``.
///
/// - Complexity: O(m n d) time, O((m + n) d) extra space.
enum ProductScan {
    /// The kernel to use: the best the CPU has, or one in particular (for tests).
    enum Kernel: Int32 { case best = 0, avx2 = 1, avx512 = 2 }

    static func nearest(queries: [Double], reference: [Double], dimension d: Int, excludingSelf: Bool,
                        kernel: Kernel = .best) -> (squaredDistances: [Double], indices: [Int])? {
        guard MemoryLayout<Int>.size == 8 else { return nil }
        let m = queries.count / d, n = reference.count / d
        var best = [Double](repeating: .infinity, count: m)
        var index = [Int](repeating: -1, count: m)
        let done = queries.withUnsafeBufferPointer { q in
            reference.withUnsafeBufferPointer { r in
                best.withUnsafeMutableBufferPointer { b in
                    index.withUnsafeMutableBytes { ix in
                        cnearest_nearest(q.baseAddress, m, r.baseAddress, n, d, excludingSelf ? 1 : 0, kernel.rawValue,
                                         b.baseAddress, ix.baseAddress?.assumingMemoryBound(to: Int64.self))
                    }
                }
            }
        }
        return done == 1 ? (best, index) : nil
    }
}
