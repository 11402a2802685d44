import Foundation

/// The feature matrix of a downstream model on a mixed table (``UtilityMetrics``):
/// every column of the table but the target, numeric columns standardised with the
/// *training* table's mean and standard deviation (÷ n, as scikit-learn's
/// `StandardScaler`), categorical columns one-hot over all their levels (the schema's,
/// so a level the training table lacks is a column of zeros; as `OneHotEncoder` with
/// `categories` given). A numeric column that is constant in the training table
/// (min = max) is a column of zeros, in training and in testing alike (its weight is 0
/// under either model).
///
/// Stored sparsely by row: every row has the same number of non-zero slots (one per
/// numeric feature, one per categorical feature), so a row is `slots` (column index,
/// value) pairs and X ᵀWX costs O(n·slots²), not O(n·p²), on a table of many
/// categories (Adult: 14 slots among 104 columns).
public struct FeatureEncoder: Sendable {
    /// The table's column positions used as features, in schema order.
    public let features: [Int]
    /// For each numeric feature (in `features` order, numeric ones only): mean and sd
    /// of the training table; sd 0 for a constant column.
    let scale: [(mean: Double, sd: Double)]
    /// Index of the first design column of each feature; `width` columns in all.
    let offsets: [Int]
    public let width: Int
    let schema: TableSchema

    /// The encoder of `training`'s columns other than `target`.
    public init(training: MixedTable, target: Int) {
        let schema = training.schema
        self.schema = schema
        features = schema.columns.indices.filter { $0 != target }
        var scale: [(Double, Double)] = [], offsets: [Int] = [], width = 0
        for j in features {
            offsets.append(width)
            if schema.columns[j].type == .numeric {
                let x = training.numeric[schema.slot[j]]
                scale.append(Self.meanAndSD(x))
                width += 1
            } else {
                width += schema.columns[j].levels.count
            }
        }
        self.scale = scale
        self.offsets = offsets
        self.width = width
    }

    /// Mean and population sd (÷ n); sd 0 when every value is equal (or none).
    static func meanAndSD(_ x: [Double]) -> (mean: Double, sd: Double) {
        guard let lo = x.min(), let hi = x.max(), hi > lo else { return (x.first ?? 0, 0) }
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        var ss = 0.0
        for v in x { ss += (v - mean) * (v - mean) }
        return (mean, (ss / n).squareRoot())
    }

    /// Non-zero slots per row.
    public var slots: Int { features.count }

    /// The rows of `table` (same schema) as `slots` column indices and values each,
    /// row-major.
    public func encode(_ table: MixedTable) -> (index: [Int32], value: [Double]) {
        let n = table.count, q = slots
        var index = [Int32](repeating: 0, count: n * q)
        var value = [Double](repeating: 0, count: n * q)
        var numericFeature = 0
        for (f, j) in features.enumerated() {
            let s = schema.slot[j]
            if schema.columns[j].type == .numeric {
                let (mean, sd) = scale[numericFeature]
                numericFeature += 1
                let x = table.numeric[s]
                for i in 0..<n {
                    index[i * q + f] = Int32(offsets[f])
                    value[i * q + f] = sd > 0 ? (x[i] - mean) / sd : 0
                }
            } else {
                let codes = table.categorical[s]
                for i in 0..<n {
                    index[i * q + f] = Int32(offsets[f]) + codes[i]
                    value[i * q + f] = 1
                }
            }
        }
        return (index, value)
    }

    /// The dense row-major n × width design of `table` (for least squares and tests).
    public func dense(_ table: MixedTable) -> [Double] {
        let (index, value) = encode(table)
        let n = table.count, q = slots
        var out = [Double](repeating: 0, count: n * width)
        for i in 0..<n { for a in 0..<q { out[i * width + Int(index[i * q + a])] += value[i * q + a] } }
        return out
    }
}

/// L2-regularised logistic regression by Newton's method (iteratively reweighted least
/// squares), on a ``FeatureEncoder``'s design with an unpenalised intercept b:
///
///     minimise  J(b, w) = (1/n) Σᵢ [log(1 + e^{zᵢ}) − yᵢ zᵢ] + (λ/2) ‖w‖²,   zᵢ = b + xᵢᵀw,
///
/// with λ = 10⁻⁴ (``defaultLambda``). This is scikit-learn's
/// `LogisticRegression(C = 1/(n λ))`, which minimises C Σᵢ loss + ½ ‖w‖² (intercept not
/// penalised by the lbfgs, newton-cg and newton-cholesky solvers): multiply J by
/// n·C = 1/λ. Each step solves (H) δ = −g by Cholesky, with
/// H = (1/n) Σᵢ pᵢ(1 − pᵢ) x̃ᵢx̃ᵢᵀ + λ diag(0, 1, …, 1) (x̃ = (1, x)), and halves δ until J
/// decreases (Armijo); it stops when ‖g‖∞ ≤ 10⁻¹² or after 100 steps. The penalty makes
/// H positive definite in w, so collinear one-hot columns and separable data have a
/// unique finite optimum.
public struct LogisticRegressionModel: Sendable {
    public static let defaultLambda = 1e-4
    public var intercept: Double
    public var weights: [Double]
    /// Newton steps taken.
    public var iterations: Int

    /// Fits `y` ∈ {0, 1} on the sparse design (`slots` pairs per row, `width` columns).
    public static func fit(index: [Int32], value: [Double], slots q: Int, width p: Int, y: [Double],
                           lambda: Double = defaultLambda) -> LogisticRegressionModel {
        let n = y.count
        let dim = p + 1  // 0: intercept, 1…p: weights
        var beta = [Double](repeating: 0, count: dim)
        // Start at the intercept of the class share (the optimum of the intercept alone).
        let share = y.reduce(0, +) / Double(max(n, 1))
        if share > 0 && share < 1 { beta[0] = log(share / (1 - share)) }
        var z = linearPredictor(index: index, value: value, slots: q, beta: beta, rows: n)
        var objective = Self.objective(z: z, y: y, beta: beta, lambda: lambda)
        var iterations = 0
        let invN = 1 / Double(n)
        while iterations < 100 {
            var g = [Double](repeating: 0, count: dim)
            var h = [Double](repeating: 0, count: dim * dim)
            index.withUnsafeBufferPointer { ix in
                value.withUnsafeBufferPointer { vx in
                    for i in 0..<n {
                        let pr = sigmoid(z[i])
                        let r = (pr - y[i]) * invN
                        let w = pr * (1 - pr) * invN
                        g[0] += r
                        h[0] += w
                        let row = i * q
                        for a in 0..<q {
                            let ja = Int(ix[row + a]) + 1, va = vx[row + a]
                            g[ja] += r * va
                            let wa = w * va
                            h[ja] += wa  // row 0, column ja (upper triangle stored as row < col)
                            for b in a..<q {
                                let jb = Int(ix[row + b]) + 1
                                let (lo, hi) = ja <= jb ? (ja, jb) : (jb, ja)
                                h[lo * dim + hi] += wa * vx[row + b]
                            }
                        }
                    }
                }
            }
            // h[0] accumulated the intercept entries h[0, ja] at offsets ja (row 0).
            for j in 1..<dim {
                g[j] += lambda * beta[j]
                h[j * dim + j] += lambda
            }
            if g.reduce(0, { max($0, abs($1)) }) <= 1e-12 { break }
            // Symmetrise from the upper triangle.
            for a in 0..<dim { for b in (a + 1)..<dim { h[b * dim + a] = h[a * dim + b] } }
            guard let step = Self.solve(h, g.map { -$0 }, dimension: dim) else { break }
            var t = 1.0, accepted = false
            let slope = zip(g, step).reduce(0) { $0 + $1.0 * $1.1 }
            while t > 1e-10 {
                let trial = zip(beta, step).map { $0 + t * $1 }
                let tz = linearPredictor(index: index, value: value, slots: q, beta: trial, rows: n)
                let tj = Self.objective(z: tz, y: y, beta: trial, lambda: lambda)
                if tj <= objective + 1e-4 * t * slope || tj <= objective {
                    beta = trial; z = tz; objective = tj; accepted = true
                    break
                }
                t /= 2
            }
            iterations += 1
            if !accepted { break }
            if step.reduce(0, { max($0, abs($1)) }) * t <= 1e-15 * (1 + beta.reduce(0) { max($0, abs($1)) }) { break }
        }
        return LogisticRegressionModel(intercept: beta[0], weights: Array(beta[1...]), iterations: iterations)
    }

    static func sigmoid(_ z: Double) -> Double { z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)) }

    /// log(1 + e^z), without overflow.
    static func softplus(_ z: Double) -> Double { max(z, 0) + log1p(exp(-abs(z))) }

    static func objective(z: [Double], y: [Double], beta: [Double], lambda: Double) -> Double {
        var loss = 0.0
        for i in z.indices { loss += softplus(z[i]) - y[i] * z[i] }
        var penalty = 0.0
        for j in 1..<beta.count { penalty += beta[j] * beta[j] }
        return loss / Double(z.count) + lambda / 2 * penalty
    }

    static func linearPredictor(index: [Int32], value: [Double], slots q: Int, beta: [Double], rows n: Int) -> [Double] {
        var z = [Double](repeating: beta[0], count: n)
        for i in 0..<n {
            var s = beta[0]
            for a in 0..<q { s += beta[Int(index[i * q + a]) + 1] * value[i * q + a] }
            z[i] = s
        }
        return z
    }

    /// zᵢ = b + xᵢᵀw of encoded rows.
    public func scores(index: [Int32], value: [Double], slots q: Int) -> [Double] {
        let n = q > 0 ? index.count / q : 0
        return Self.linearPredictor(index: index, value: value, slots: q, beta: [intercept] + weights, rows: n)
    }

    /// Solves the symmetric positive-definite system A x = b by Cholesky (A row-major);
    /// when A is not numerically positive definite, retries with 10⁻¹⁰·(mean diagonal)
    /// added to the diagonal; nil when that fails too.
    static func solve(_ a: [Double], _ b: [Double], dimension d: Int) -> [Double]? {
        for ridge in [0.0, 1e-10] {
            var l = a
            let shift = ridge * (0..<d).reduce(0) { $0 + a[$1 * d + $1] } / Double(d)
            if shift > 0 { for j in 0..<d { l[j * d + j] += shift } }
            var ok = true
            outer: for j in 0..<d {
                var s = l[j * d + j]
                for k in 0..<j { s -= l[j * d + k] * l[j * d + k] }
                guard s > 0, s.isFinite else { ok = false; break outer }
                let root = s.squareRoot()
                l[j * d + j] = root
                for i in (j + 1)..<d {
                    var t = l[i * d + j]
                    for k in 0..<j { t -= l[i * d + k] * l[j * d + k] }
                    l[i * d + j] = t / root
                }
            }
            guard ok else { continue }
            var x = b
            for i in 0..<d {
                var s = x[i]
                for k in 0..<i { s -= l[i * d + k] * x[k] }
                x[i] = s / l[i * d + i]
            }
            for i in stride(from: d - 1, through: 0, by: -1) {
                var s = x[i]
                for k in (i + 1)..<d { s -= l[k * d + i] * x[k] }
                x[i] = s / l[i * d + i]
            }
            return x
        }
        return nil
    }
}

/// Ordinary least squares with an intercept, as scikit-learn's `LinearRegression`:
/// the design and the target are centred by their training means, w is the
/// minimum-norm least-squares solution on the centred design (``LeastSquares``, the
/// SVD with NumPy's rank tolerance; full one-hot columns make the centred design rank
/// deficient, and the minimum-norm w is the unique choice), b = ȳ − x̄ᵀw.
public struct LinearModel: Sendable {
    public var intercept: Double
    public var weights: [Double]

    /// Fits `y` on the dense row-major design `x` (y.count rows, `width` columns); nil
    /// when the solve fails (non-finite input).
    public static func fit(x: [Double], width p: Int, y: [Double]) -> LinearModel? {
        let n = y.count
        guard n > 0 else { return nil }
        let yMean = y.reduce(0, +) / Double(n)
        guard p > 0 else { return LinearModel(intercept: yMean, weights: []) }
        var means = [Double](repeating: 0, count: p)
        for i in 0..<n { for j in 0..<p { means[j] += x[i * p + j] } }
        for j in 0..<p { means[j] /= Double(n) }
        var centred = x
        for i in 0..<n { for j in 0..<p { centred[i * p + j] -= means[j] } }
        guard let solution = LeastSquares.solve(x: centred, y: y.map { $0 - yMean }, dimension: p) else { return nil }
        let w = solution.weights
        let b = yMean - zip(means, w).reduce(0) { $0 + $1.0 * $1.1 }
        return LinearModel(intercept: b, weights: w)
    }

    /// Predictions b + xᵢᵀw of a dense design.
    public func predict(_ x: [Double]) -> [Double] {
        let p = weights.count
        let n = p > 0 ? x.count / p : 0
        return (0..<n).map { i in
            var s = intercept
            for j in 0..<p { s += x[i * p + j] * weights[j] }
            return s
        }
    }
}
