import CGSL

/// Ordinary least squares without intercept, y ≈ X w, by the singular value
/// decomposition X = U S Vᵀ (GSL's `gsl_linalg_SV_decomp_mod`: a Householder QR of the
/// m×d matrix first, then Golub–Reinsch on the d×d factor, which suits m ≫ d).
///
/// Singular values s_j ≤ tol·s_max, with tol = max(m, d)·ε (ε the double epsilon; the
/// default `rcond` of NumPy's `lstsq` and LAPACK's `gelsd`), count as zero and are
/// dropped, so a rank-deficient X gets the minimum-norm least-squares solution
/// w = Σ_{s_j > tol·s_max} v_j (u_jᵀ y) / s_j (Golub & Van Loan, *Matrix Computations*,
/// 4th ed., §5.5.4). When m < d, X is padded with d − m zero rows (zero labels): that
/// changes neither the residuals nor the minimum-norm solution.
public enum LeastSquares {
    /// The fitted weights, the numerical rank of X and the residual sum of squares
    /// ‖y − X w‖², computed directly from the returned w.
    public struct Solution: Sendable {
        public var weights: [Double]
        public var rank: Int
        public var residualSumOfSquares: Double
    }

    /// Solves min ‖y − X w‖ for `x` row-major m×d (m = `y.count`). Nil when GSL
    /// reports a failure or the input is not finite.
    /// - Parameter toleranceRows: the row count in the rank tolerance max(m, d)·ε
    ///   (default m): the rows of the original problem when `x` is its R factor.
    public static func solve(x: [Double], y: [Double], dimension d: Int, toleranceRows: Int? = nil) -> Solution? {
        let m = y.count
        precondition(d >= 1 && x.count == m * d)
        guard x.allSatisfy({ $0.isFinite }), y.allSatisfy({ $0.isFinite }) else { return nil }
        let rows = max(m, d)
        // a: X (padded), overwritten by U; v: V (d×d); s: singular values, descending.
        var a = [Double](repeating: 0, count: rows * d)
        a.withUnsafeMutableBufferPointer { dst in
            x.withUnsafeBufferPointer { src in
                dst.baseAddress!.update(from: src.baseAddress!, count: m * d)
            }
        }
        var v = [Double](repeating: 0, count: d * d)
        var s = [Double](repeating: 0, count: d)
        var scratch = [Double](repeating: 0, count: d * d)
        var work = [Double](repeating: 0, count: d)
        GSLRuntime.ensureConfigured()
        let status: Int32 = a.withUnsafeMutableBufferPointer { ap in
            v.withUnsafeMutableBufferPointer { vp in
                s.withUnsafeMutableBufferPointer { sp in
                    scratch.withUnsafeMutableBufferPointer { xp in
                        work.withUnsafeMutableBufferPointer { wp in
                            var am = gsl_matrix_view_array(ap.baseAddress, rows, d)
                            var vm = gsl_matrix_view_array(vp.baseAddress, d, d)
                            var xm = gsl_matrix_view_array(xp.baseAddress, d, d)
                            var sv = gsl_vector_view_array(sp.baseAddress, d)
                            var wv = gsl_vector_view_array(wp.baseAddress, d)
                            return gsl_linalg_SV_decomp_mod(&am.matrix, &xm.matrix, &vm.matrix,
                                                            &sv.vector, &wv.vector)
                        }
                    }
                }
            }
        }
        guard status == Int32(GSL_SUCCESS), s.allSatisfy({ $0.isFinite }) else { return nil }

        let sMax = s.max() ?? 0
        let cutoff = Double(max(toleranceRows ?? m, d)) * Double.ulpOfOne * sMax
        let kept = (0..<d).filter { s[$0] > cutoff }
        // c_j = (u_jᵀ y) / s_j for the kept j; w = V c.
        var c = [Double](repeating: 0, count: d)
        a.withUnsafeBufferPointer { u in
            y.withUnsafeBufferPointer { yp in
                for i in 0..<m {
                    let yi = yp[i], row = i * d
                    for j in kept { c[j] += u[row + j] * yi }
                }
            }
        }
        for j in kept { c[j] /= s[j] }
        var w = [Double](repeating: 0, count: d)
        for k in 0..<d { for j in kept { w[k] += v[k * d + j] * c[j] } }
        return Solution(weights: w, rank: kept.count,
                        residualSumOfSquares: residualSumOfSquares(x: x, y: y, weights: w))
    }

    /// ‖y − X w‖² for `x` row-major (y.count rows, w.count columns).
    public static func residualSumOfSquares(x: [Double], y: [Double], weights w: [Double]) -> Double {
        let d = w.count
        return x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                var rss = 0.0
                for i in 0..<y.count {
                    var r = y[i]
                    for k in 0..<d { r -= xp[i * d + k] * wp[k] }
                    rss += r * r
                }
                return rss
            }
        }
    }

    /// The upper-triangular R (c×c, row-major) of A = QR for `a` row-major r×c (GSL's
    /// Householder `gsl_linalg_QR_decomp`), with A padded by zero rows when r < c.
    /// Nil when GSL reports a failure.
    public static func triangularFactor(_ a: [Double], columns c: Int) -> [Double]? {
        let r = a.count / c
        let rows = max(r, c)
        var m = a + [Double](repeating: 0, count: (rows - r) * c)
        var tau = [Double](repeating: 0, count: c)
        GSLRuntime.ensureConfigured()
        let status: Int32 = m.withUnsafeMutableBufferPointer { mp in
            tau.withUnsafeMutableBufferPointer { tp in
                var mm = gsl_matrix_view_array(mp.baseAddress, rows, c)
                var tv = gsl_vector_view_array(tp.baseAddress, c)
                return gsl_linalg_QR_decomp(&mm.matrix, &tv.vector)
            }
        }
        guard status == Int32(GSL_SUCCESS) else { return nil }
        var out = [Double](repeating: 0, count: c * c)
        for i in 0..<c { for j in i..<c { out[i * c + j] = m[i * c + j] } }
        return out
    }
}
