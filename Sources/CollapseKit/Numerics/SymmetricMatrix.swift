import CGSL
import Foundation

/// A symmetric d×d matrix stored row-major in a flat `[Double]`, with the few
/// factorizations the Gaussian family needs, all through GSL's linear algebra.
public struct SymmetricMatrix: Equatable, Sendable {
    public let dimension: Int
    public var values: [Double]

    public init(dimension: Int, values: [Double]) {
        precondition(values.count == dimension * dimension)
        self.dimension = dimension
        self.values = values
    }

    public static func diagonal(_ diag: [Double]) -> SymmetricMatrix {
        let d = diag.count
        var v = [Double](repeating: 0, count: d * d)
        for i in 0..<d { v[i * d + i] = diag[i] }
        return SymmetricMatrix(dimension: d, values: v)
    }

    public subscript(i: Int, j: Int) -> Double {
        get { values[i * dimension + j] }
        set { values[i * dimension + j] = newValue }
    }

    public var trace: Double { (0..<dimension).reduce(0) { $0 + self[$1, $1] } }
    public var isFinite: Bool { values.allSatisfy { $0.isFinite } }

    /// Eigenvalues (ascending) and eigenvectors (columns of a row-major d×d array),
    /// from `gsl_eigen_symmv`. Nil if GSL reports a failure.
    public func eigen() -> (values: [Double], vectors: [Double])? {
        let d = dimension
        var a = values
        var evals = [Double](repeating: 0, count: d)
        var evecs = [Double](repeating: 0, count: d * d)
        GSLRuntime.ensureConfigured()
        let status: Int32 = a.withUnsafeMutableBufferPointer { ap in
            evals.withUnsafeMutableBufferPointer { ep in
                evecs.withUnsafeMutableBufferPointer { vp in
                    var am = gsl_matrix_view_array(ap.baseAddress, d, d)
                    var ev = gsl_vector_view_array(ep.baseAddress, d)
                    var vm = gsl_matrix_view_array(vp.baseAddress, d, d)
                    guard let work = gsl_eigen_symmv_alloc(d) else { return Int32(GSL_ENOMEM) }
                    defer { gsl_eigen_symmv_free(work) }
                    let s = gsl_eigen_symmv(&am.matrix, &ev.vector, &vm.matrix, work)
                    if s != Int32(GSL_SUCCESS) { return s }
                    return gsl_eigen_symmv_sort(&ev.vector, &vm.matrix, GSL_EIGEN_SORT_VAL_ASC)
                }
            }
        }
        guard status == Int32(GSL_SUCCESS) else { return nil }
        return (evals, evecs)
    }

    /// f applied to the eigenvalues: V diag(f(λ)) Vᵀ. Nil if the eigensolver fails.
    public func spectralMap(_ f: (Double) -> Double) -> SymmetricMatrix? {
        guard let (lambda, v) = eigen() else { return nil }
        let d = dimension
        var out = [Double](repeating: 0, count: d * d)
        for k in 0..<d {
            let fk = f(lambda[k])
            for i in 0..<d {
                let vik = v[i * d + k] * fk
                for j in 0..<d { out[i * d + j] += vik * v[j * d + k] }
            }
        }
        return SymmetricMatrix(dimension: d, values: out)
    }

    /// Lower Cholesky factor L (row-major, zeros above the diagonal) with A = L Lᵀ,
    /// or nil if A is not numerically positive definite (`gsl_linalg_cholesky_decomp1`).
    public func cholesky() -> [Double]? {
        let d = dimension
        var a = values
        GSLRuntime.ensureConfigured()
        let status = a.withUnsafeMutableBufferPointer { ap -> Int32 in
            var m = gsl_matrix_view_array(ap.baseAddress, d, d)
            return gsl_linalg_cholesky_decomp1(&m.matrix)
        }
        guard status == Int32(GSL_SUCCESS), a.allSatisfy({ $0.isFinite }) else { return nil }
        for i in 0..<d { for j in (i + 1)..<d { a[i * d + j] = 0 } }
        return a
    }

    /// A⁻¹ and log det A from one Cholesky factorization A = L Lᵀ
    /// (`gsl_linalg_cholesky_invert`; log det A = 2 Σ log Lᵢᵢ), or nil when A is not
    /// numerically positive definite.
    public func positiveDefiniteInverse() -> (inverse: SymmetricMatrix, logDeterminant: Double)? {
        guard var l = cholesky() else { return nil }
        let d = dimension
        let logDet = (0..<d).reduce(0) { $0 + 2 * Foundation.log(l[$1 * d + $1]) }
        let status = l.withUnsafeMutableBufferPointer { p -> Int32 in
            var m = gsl_matrix_view_array(p.baseAddress, d, d)
            return gsl_linalg_cholesky_invert(&m.matrix)
        }
        guard status == Int32(GSL_SUCCESS), l.allSatisfy({ $0.isFinite }) else { return nil }
        return (SymmetricMatrix(dimension: d, values: l), logDet)
    }

    /// log det A, −∞ for a singular PSD matrix, NaN if the eigensolver fails.
    public var logDeterminant: Double {
        if let pd = positiveDefiniteInverse() { return pd.logDeterminant }
        guard let (lambda, _) = eigen() else { return .nan }
        if lambda.contains(where: { $0 < 0 && abs($0) > 1e-12 * (lambda.last ?? 1) }) { return .nan }
        return lambda.reduce(0) { $0 + Foundation.log(Swift.max($1, 0)) }
    }

    /// A⁻¹ for a positive-definite A, nil otherwise.
    public func inverse() -> SymmetricMatrix? { positiveDefiniteInverse()?.inverse }

    /// The PSD square root (negative eigenvalues from round-off clamped to 0).
    public func squareRoot() -> SymmetricMatrix? {
        spectralMap { Foundation.sqrt(Swift.max($0, 0)) }
    }

    /// A B A, symmetric for symmetric A and B (made exactly so by averaging with its
    /// transpose, which removes round-off asymmetry before an eigendecomposition).
    public func sandwich(_ b: SymmetricMatrix) -> SymmetricMatrix {
        let d = dimension
        var ab = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for k in 0..<d { for j in 0..<d { ab[i * d + j] += self[i, k] * b[k, j] } } }
        var aba = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for k in 0..<d { for j in 0..<d { aba[i * d + j] += ab[i * d + k] * self[k, j] } } }
        var out = SymmetricMatrix(dimension: d, values: aba)
        for i in 0..<d { for j in (i + 1)..<d {
            let m = 0.5 * (aba[i * d + j] + aba[j * d + i])
            out[i, j] = m
            out[j, i] = m
        } }
        return out
    }

    /// xᵀ A x.
    public func quadraticForm(_ x: [Double]) -> Double {
        var s = 0.0
        for i in 0..<dimension { for j in 0..<dimension { s += x[i] * self[i, j] * x[j] } }
        return s
    }
}
