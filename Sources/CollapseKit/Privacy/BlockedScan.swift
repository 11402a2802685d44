/// The portable exact brute-force nearest-neighbour scan of ``NearestNeighbours`` for
/// d > 16, used where ``ProductScan`` does not apply (no AVX2 or AVX-512, not x86-64,
/// or inputs outside its error bound's range), vectorised across reference rows: the reference is repacked into blocks of 8 rows
/// stored coordinate-major (block b, coordinate k: rows 8b … 8b + 7), and 4 query rows
/// at a time accumulate Σₖ (qₖ − rₖ)² for 8 reference rows in SIMD lanes, coordinate by
/// coordinate in the order k = 0 … d − 1, with a separate multiply and add (no fused
/// multiply-add). Each lane therefore computes exactly the scalar scan's sum, so the
/// distances and the chosen indices (the first of equally near rows) are the scalar
/// scan's bit for bit; it gives up the scan's early exit and gains SIMD arithmetic and
/// the reuse of every loaded reference coordinate by 4 queries (the register blocking
/// of a matrix product, Goto & van de Geijn 2008). The matrix-product form
/// ‖q‖² + ‖r‖² − 2q·r with a recheck was measured slower in Swift: without fused
/// multiply-adds in the baseline x86-64 target it saves one operation in three
/// (``ProductScan`` gets them from C functions compiled for AVX2 or AVX-512).
///
/// - Complexity: O(m n d) time, O(n d) extra space for the repacked reference.
enum BlockedScan {
    typealias Lanes = SIMD8<Double>

    static func nearest(queries: [Double], reference: [Double], dimension d: Int,
                        excludingSelf: Bool) -> (squaredDistances: [Double], indices: [Int]) {
        let m = queries.count / d, n = reference.count / d
        var best = [Double](repeating: .infinity, count: m)
        var index = [Int](repeating: -1, count: m)
        guard m > 0, n > 0 else { return (best, index) }
        let blocks = (n + 7) / 8
        // Coordinate-major blocks; the padding rows repeat the last row (their lanes are
        // never chosen).
        let packed = UnsafeMutablePointer<Lanes>.allocate(capacity: blocks * d)
        defer { packed.deallocate() }
        reference.withUnsafeBufferPointer { r in
            for b in 0..<blocks {
                for k in 0..<d {
                    var v = Lanes()
                    for lane in 0..<8 { v[lane] = r[min(b * 8 + lane, n - 1) * d + k] }
                    packed[b * d + k] = v
                }
            }
        }
        queries.withUnsafeBufferPointer { q in
            var i = 0
            while i < m {
                let rows = min(4, m - i)
                // Rows past the end repeat the last query (their results are dropped).
                let q0 = q.baseAddress! + i * d
                let q1 = q.baseAddress! + min(i + 1, m - 1) * d
                let q2 = q.baseAddress! + min(i + 2, m - 1) * d
                let q3 = q.baseAddress! + min(i + 3, m - 1) * d
                for b in 0..<blocks {
                    var s0 = Lanes(), s1 = Lanes(), s2 = Lanes(), s3 = Lanes()
                    let block = packed + b * d
                    for k in 0..<d {
                        let r = block[k]
                        let t0 = Lanes(repeating: q0[k]) - r, t1 = Lanes(repeating: q1[k]) - r
                        let t2 = Lanes(repeating: q2[k]) - r, t3 = Lanes(repeating: q3[k]) - r
                        s0 = s0 + t0 * t0
                        s1 = s1 + t1 * t1
                        s2 = s2 + t2 * t2
                        s3 = s3 + t3 * t3
                    }
                    for row in 0..<rows {
                        let s = row == 0 ? s0 : row == 1 ? s1 : row == 2 ? s2 : s3
                        let qi = i + row
                        var b0 = best[qi], at = index[qi]
                        for lane in 0..<8 {
                            let j = b * 8 + lane
                            guard j < n else { break }
                            if excludingSelf && j == qi { continue }
                            if s[lane] < b0 { b0 = s[lane]; at = j }
                        }
                        best[qi] = b0
                        index[qi] = at
                    }
                }
                i += 4
            }
        }
        return (best, index)
    }
}
