import Foundation

/// The Gaussian copula synthesizer of mixed-type tables, as SDV's
/// `GaussianCopulaSynthesizer` and the `copulas` package's `GaussianMultivariate`
/// (Patki, Wedge & Veeramachaneni 2016, "The Synthetic Data Vault"; the Gaussian copula
/// itself: Sklar 1959, Nelsen 2006 §2.10).
///
/// Fit, on n training rows:
/// 1. each numeric column gets a marginal F̂_j (``CopulaMarginal``: `empirical`,
///    `normal` or `kde`) and each categorical column the frequency encoding: in the
///    fixed level order, category k owns the interval [c_k, c_k + p̂_k) of (0, 1), p̂_k its
///    training frequency, and a row's value is Φ⁻¹ of its interval's midpoint (the
///    category's mid-rank);
/// 2. every cell becomes a normal score z = Φ⁻¹(F̂_j(x)) (mid-ranks for `empirical`);
/// 3. R is the correlation matrix of the score columns (a column whose scores do not
///    vary, a constant or a single category, gets no correlation). When R's smallest
///    eigenvalue is below 10⁻⁸ — singular (n ≤ d, collinear or constant columns) or not
///    positive definite — its eigenvalues are clipped at 10⁻⁸ and it is rescaled to
///    unit diagonal, and the fit records `singular_covariance`.
///
/// Sampling draws z = L ε with ε ~ N(0, I) and L the Cholesky factor of R_λ, then maps
/// each coordinate through its marginal, x = F̂_j⁻¹(Φ(z_j)), or to the category whose
/// interval holds Φ(z_j). The sampling temperature λ scales R's off-diagonal:
/// R_λ = λR + (1 − λ)I, so λ < 1 weakens the dependence between columns (λ → 0: the
/// columns independent), λ = 1 is the fit, and λ > 1 strengthens it (the result
/// repaired as above when it stops being a correlation matrix); the marginals are
/// untouched. A category whose training frequency is 0 has an empty interval and is
/// never generated again: under `replace` a table's rare categories are lost for good.
///
/// Real data: a file's rows (`table`, numeric and categorical columns, drawn without
/// replacement from the chain's ``RowPool``), or `normal` with d ≥ 2 (columns x1…xd),
/// where with `marginals: normal` the fit is exactly the MLE Gaussian's and the
/// closed forms of the Gaussian family apply. Each row draws d standard normals from
/// the chain's stream, in row order; nothing else is random.
///
/// - Complexity: fit O(n d log n + n d²) (`kde`: plus O(n × kernels within reach) per
///   column); sampling O(m d²) plus the marginals' inversions.
public struct CopulaFamily: GenerativeFamily {
    public typealias Data = MixedTable
    public typealias Truth = RowPool?

    /// Where the real rows come from.
    public enum Source: Sendable {
        /// A parametric distribution of points in ℝ^d (columns x1…xd).
        case distribution(any RealDistribution)
        /// A file's modelled columns (numbers or codes), drawn by row.
        case table(MixedTable)
    }

    /// A fitted copula: the marginals, the categorical intervals, R and its factor.
    public struct Model: Sendable {
        /// Numeric columns' marginals (schema order of the numeric columns).
        public var marginals: [CopulaMarginal]
        /// Each categorical column's training frequencies p̂_k over its levels.
        public var frequencies: [[Double]]
        /// The correlation matrix of the normal scores (after repair), schema column order.
        public var correlation: SymmetricMatrix
        /// Lower Cholesky factor of R_λ, row-major.
        var factor: [Double]
        var events: [ChainEvent.Kind]
    }

    public let schema: TableSchema
    public let source: Source
    public let marginalKind: CopulaMarginal.Kind
    public let temperature: Double
    /// `model.dp`: the DP fit of generations whose training set holds real rows.
    public let dp: CopulaDP?

    public init(schema: TableSchema, source: Source, marginals: CopulaMarginal.Kind, temperature: Double, dp: CopulaDP? = nil) {
        self.schema = schema
        self.source = source
        self.marginalKind = marginals
        self.temperature = temperature
        self.dp = dp
    }

    /// Eigenvalues of R below this are clipped to it.
    public static let eigenvalueFloor = 1e-8

    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) -> RowPool? {
        if case .table(let t) = source { return RowPool(rowCount: t.count) }
        return nil
    }

    public func drawReal(_ count: Int, truth: RowPool?, stream: RandomStream) -> MixedTable {
        switch source {
        case .table(let t):
            return t.rows(truth!.take(count, stream: stream))
        case .distribution(let d):
            return MixedTable(rowMajor: d.sample(count: count, stream: stream), dimension: d.dimension)
        }
    }

    /// With `model.dp`, a fit to real rows is ``CopulaDPMechanism``'s release (its noise
    /// from the chain's stream), repaired and factored as a plain fit's R; otherwise the
    /// plain fit.
    public func fit(_ data: MixedTable, stream: RandomStream, chain: ChainIdentity) -> Model {
        guard let dp, dp.accounting.touchesReal[chain.generation] else { return fit(data, stream: stream) }
        let (marginals, frequencies, r) = dp.mechanism.release(data, stream: stream)
        return model(marginals: marginals, frequencies: frequencies, correlation: r, events: [])
    }

    public func fit(_ data: MixedTable, stream: RandomStream) -> Model {
        let n = data.count, d = schema.columns.count
        var events: [ChainEvent.Kind] = []
        let marginals = data.numeric.map { CopulaMarginal.fit(marginalKind, $0) }
        let frequencies = zip(data.categorical, schema.levelCounts).map { codes, k in
            Self.frequencies(codes, levels: k)
        }
        // Normal scores, one column per table column.
        var scores = [[Double]](repeating: [], count: d)
        for (j, c) in schema.columns.enumerated() {
            let s = schema.slot[j]
            if c.type == .numeric {
                scores[j] = marginals[s].scores(data.numeric[s])
            } else {
                let mid = Self.midpointScores(frequencies[s])
                scores[j] = data.categorical[s].map { mid[Int($0)] }
            }
        }
        guard marginals.allSatisfy(\.isFinite), scores.allSatisfy({ $0.allSatisfy { $0.isFinite } }) else {
            return Model(marginals: marginals, frequencies: frequencies, correlation: .diagonal([Double](repeating: 1, count: d)),
                         factor: [Double](repeating: .nan, count: d * d), events: [.nonFiniteParameters])
        }
        var r = SymmetricMatrix.diagonal([Double](repeating: 1, count: d))
        let moments = scores.map(Self.meanAndSD)
        let means = moments.map(\.mean), sds = moments.map(\.sd)
        if sds.contains(0) { events.append(.singularCovariance) }
        // Each column centred once, not once per pair (the same differences, so the same bits).
        for j in 0..<d { let m = means[j]; scores[j].withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] -= m } } }
        for a in 0..<d where sds[a] > 0 {
            for b in (a + 1)..<d where sds[b] > 0 {
                let c = scores[a].withUnsafeBufferPointer { x in
                    scores[b].withUnsafeBufferPointer { y in
                        Self.laneSum(n) { x[$0] * y[$0] }
                    }
                }
                let rho = min(max(c / Double(n) / (sds[a] * sds[b]), -1), 1)
                r[a, b] = rho
                r[b, a] = rho
            }
        }
        return model(marginals: marginals, frequencies: frequencies, correlation: r, events: events)
    }

    /// The model of fitted marginals and a correlation matrix: R repaired to positive
    /// definite, scaled by the temperature and factored (events: `singular_covariance`
    /// when a repair clipped eigenvalues, `non_finite_parameters` when no factor exists).
    func model(marginals: [CopulaMarginal], frequencies: [[Double]], correlation r: SymmetricMatrix,
               events given: [ChainEvent.Kind]) -> Model {
        let d = schema.columns.count
        var events = given
        let (repaired, clipped) = Self.repaired(r)
        if clipped, !events.contains(.singularCovariance) { events.append(.singularCovariance) }
        var scaled = repaired
        if temperature != 1 {
            for a in 0..<d { for b in 0..<d where a != b { scaled[a, b] = temperature * repaired[a, b] } }
            let (again, clippedAgain) = Self.repaired(scaled)
            scaled = again
            if clippedAgain, !events.contains(.singularCovariance) { events.append(.singularCovariance) }
        }
        guard let factor = scaled.cholesky() ?? scaled.squareRoot()?.values, factor.allSatisfy({ $0.isFinite }) else {
            return Model(marginals: marginals, frequencies: frequencies, correlation: repaired,
                         factor: [Double](repeating: .nan, count: d * d), events: events + [.nonFiniteParameters])
        }
        return Model(marginals: marginals, frequencies: frequencies, correlation: repaired, factor: factor, events: events)
    }

    /// The mean and the standard deviation (÷ n) of a column, in two passes of plain
    /// sums (GSL's `gsl_stats_mean` updates a running mean with a division per value,
    /// half the time of a fit).
    static func meanAndSD(_ x: [Double]) -> (mean: Double, sd: Double) {
        x.withUnsafeBufferPointer { p in
            let n = Double(p.count)
            let m = laneSum(p.count) { p[$0] } / n
            let q = laneSum(p.count) { (p[$0] - m) * (p[$0] - m) }
            return (m, (q / n).squareRoot())
        }
    }

    /// Σ term(i) for i in 0..<n, in four interleaved partial sums ((s₀ + s₁) + (s₂ + s₃),
    /// then the remainder): the additions no longer wait on one another, so a sum over a
    /// column runs at the processor's throughput, not its add latency (a third of the
    /// time of a fit on Adult). A fixed order, so the same data always gives the same bits.
    @inline(__always)
    static func laneSum(_ n: Int, _ term: (Int) -> Double) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= n {
            s0 += term(i)
            s1 += term(i + 1)
            s2 += term(i + 2)
            s3 += term(i + 3)
            i += 4
        }
        var rest = 0.0
        while i < n {
            rest += term(i)
            i += 1
        }
        return ((s0 + s1) + (s2 + s3)) + rest
    }

    /// p̂_k = count_k / n over `levels` levels.
    static func frequencies(_ codes: [Int32], levels k: Int) -> [Double] {
        var counts = [Int](repeating: 0, count: k)
        codes.withUnsafeBufferPointer { p in for c in p { counts[Int(c)] += 1 } }
        let n = Double(codes.count)
        return counts.map { Double($0) / n }
    }

    /// Φ⁻¹ of each category's interval midpoint, c_k + p̂_k/2 (NaN-free: an empty
    /// category's score is never used, and is 0).
    static func midpointScores(_ p: [Double]) -> [Double] {
        var start = 0.0
        return p.map { pk in
            defer { start += pk }
            return pk > 0 ? Probability.normalQuantile(min(max(start + 0.5 * pk, 1e-300), 1 - 1e-16)) : 0
        }
    }

    /// R with its eigenvalues clipped at ``eigenvalueFloor`` and rescaled to unit
    /// diagonal when its smallest eigenvalue is below the floor (or the eigensolver
    /// fails: then the identity); whether it was clipped.
    static func repaired(_ r: SymmetricMatrix) -> (SymmetricMatrix, Bool) {
        let d = r.dimension
        guard let (lambda, _) = r.eigen() else { return (.diagonal([Double](repeating: 1, count: d)), true) }
        guard lambda[0] < eigenvalueFloor else { return (r, false) }
        guard var clipped = r.spectralMap({ max($0, eigenvalueFloor) }) else {
            return (.diagonal([Double](repeating: 1, count: d)), true)
        }
        let scale = (0..<d).map { 1 / clipped[$0, $0].squareRoot() }
        for a in 0..<d { for b in 0..<d { clipped[a, b] = a == b ? 1 : clipped[a, b] * scale[a] * scale[b] } }
        return (clipped, true)
    }

    public func diagnose(_ model: Model) -> [ChainEvent.Kind] { model.events }

    public func sample(_ model: Model, count m: Int, truth: RowPool?, stream: RandomStream) -> MixedTable {
        let d = schema.columns.count
        var z = [Double](repeating: 0, count: m * d)
        var e = [Double](repeating: 0, count: d)
        z.withUnsafeMutableBufferPointer { out in
            model.factor.withUnsafeBufferPointer { l in
                e.withUnsafeMutableBufferPointer { e in
                    for i in 0..<m {
                        for k in 0..<d { e[k] = stream.standardNormal() }
                        for a in 0..<d {
                            var acc = 0.0
                            for k in 0...a { acc += l[a * d + k] * e[k] }
                            out[i * d + a] = acc
                        }
                    }
                }
            }
        }
        var numeric = [[Double]](repeating: [], count: schema.numericColumns.count)
        var categorical = [[Int32]](repeating: [], count: schema.categoricalColumns.count)
        for (j, c) in schema.columns.enumerated() {
            let s = schema.slot[j]
            if c.type == .numeric {
                numeric[s] = z.withUnsafeBufferPointer { model.marginals[s].values(scores: $0, stride: d, offset: j, count: m) }
            } else {
                var upper: [Double] = [], codes: [Int32] = []
                var total = 0.0
                for (k, pk) in model.frequencies[s].enumerated() where pk > 0 {
                    total += pk
                    upper.append(total)
                    codes.append(Int32(k))
                }
                categorical[s] = (0..<m).map { i in
                    let u = Probability.normalCDF(z[i * d + j]) * total
                    var lo = 0, hi = upper.count - 1
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if u < upper[mid] { hi = mid } else { lo = mid + 1 }
                    }
                    return codes[lo]
                }
            }
        }
        return MixedTable(schema: schema, numeric: numeric, categorical: categorical)
    }

    /// The table metrics this schema supports (``TableMetrics``) and, with a modelled
    /// `real.label`, the utility and fairness metrics (``UtilityMetrics``).
    public static func metrics(real: RealDataConfig) -> [Metric<CopulaFamily>] {
        guard let schema = CopulaDescriptor.schema(of: real) else { return [] }
        return (TableMetrics.all(schema: schema) + UtilityMetrics.all(real: real) + TablePrivacyMetrics.all()
                + [DPAccounting.epsilonSpentMetric { $0.dp?.accounting }])
            .sorted { $0.name < $1.name }
    }
}
