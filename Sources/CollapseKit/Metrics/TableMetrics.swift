import Foundation

/// Fidelity metrics of a generated mixed-type table against a real one, each on the
/// generation's batch against the chain's held-out real rows (`heldout`, disjoint from
/// R₀). Written over ``MixedTable`` alone, so any family of tables (the copula, an
/// external generator) reuses them. Definitions follow SDMetrics (the Synthetic Data
/// Vault's metrics library) where it has one:
///
/// - `ks_complement`: mean over numeric columns of 1 − D, D the two-sample
///   Kolmogorov–Smirnov statistic sup_x |F_real(x) − F_synth(x)| (SDMetrics
///   `KSComplement`, scipy's `ks_2samp` statistic; exact with ties).
/// - `tv_complement`: mean over categorical columns of 1 − ½ Σ_k |p_k − q_k| (SDMetrics
///   `TVComplement`).
/// - `correlation_similarity`: mean over pairs of numeric columns of 1 − |ρ_real − ρ_synth|/2,
///   Pearson ρ (SDMetrics `CorrelationSimilarity`). A pair whose real column is
///   constant is skipped; a constant synthetic column has ρ_synth = 0.
/// - `contingency_similarity`: mean over pairs of categorical columns of 1 − ½ Σ |p_ab − q_ab|
///   over the cells of their normalised contingency tables (SDMetrics `ContingencySimilarity`).
/// - `rare_category_loss`: of the categories (all categorical columns together) whose
///   held-out frequency is in (0, 1 %), the share absent from the batch; NaN when the
///   held-out sample has none.
/// - `range_coverage`: mean over numeric columns of |[min, max]_synth ∩ [min, max]_real| /
///   (max − min)_real (0 when they do not overlap; SDMetrics `RangeCoverage`); a
///   constant real column is skipped.
/// - `variance_ratio`: mean over numeric columns of s²_synth / s²_real (both unbiased,
///   ÷(n − 1)); a constant real column is skipped.
///
/// A mean over no column or pair is NaN.
public enum TableMetrics {
    /// What each metric needs of the schema, for the error when it has not.
    static let requirements: [MetricName: String] = [
        .ksComplement: "a numeric column", .rangeCoverage: "a numeric column", .varianceRatio: "a numeric column",
        .correlationSimilarity: "two numeric columns", .tvComplement: "a categorical column",
        .rareCategoryLoss: "a categorical column", .contingencySimilarity: "two categorical columns",
    ]

    /// The table metrics not in `offered` that a family of tables with this schema
    /// lacks, each with the schema requirement it misses (for the config error).
    static func unavailable(schema: TableSchema?, offered: [MetricName]) -> [MetricName: String] {
        guard let schema else { return [:] }
        let offered = Set(offered)
        var out: [MetricName: String] = [:]
        for (name, need) in requirements where !offered.contains(name) {
            out[name] = "\(name.rawValue) needs \(need), and the modelled columns have \(schema.numericColumns.count) numeric and \(schema.categoricalColumns.count) categorical"
        }
        return out
    }

    /// Categories rarer than this (held-out frequency) count for `rare_category_loss`.
    public static let rareFrequency = 0.01

    /// The metrics a table with this schema supports, each needing the batch and the
    /// held-out sample; the held-out side is computed once per chain.
    public static func all<F: GenerativeFamily>(schema: TableSchema) -> [Metric<F>] where F.Data == MixedTable {
        let numeric = schema.numericColumns.count, categorical = schema.categoricalColumns.count
        let needs: MetricNeeds = [.batch, .heldout]
        var out: [Metric<F>] = []
        if numeric >= 1 {
            out.append(Metric(.ksComplement, needs: needs) { c in
                ksComplement(real: realSorted(c), synthetic: syntheticSorted(c))
            })
            out.append(Metric(.rangeCoverage, needs: needs) { c in
                rangeCoverage(real: realSorted(c), synthetic: syntheticSorted(c))
            })
            out.append(Metric(.varianceRatio, needs: needs) { c in
                varianceRatio(real: c.heldout!, synthetic: c.batch!)
            })
        }
        if numeric >= 2 {
            out.append(Metric(.correlationSimilarity, needs: needs) { c in
                correlationSimilarity(real: c.perChain(realCorrelationKey) { correlations(c.heldout!) },
                                      synthetic: correlations(c.batch!))
            })
        }
        if categorical >= 1 {
            out.append(Metric(.tvComplement, needs: needs) { c in
                tvComplement(real: realFrequencies(c), synthetic: syntheticFrequencies(c))
            })
            out.append(Metric(.rareCategoryLoss, needs: needs) { c in
                rareCategoryLoss(real: realFrequencies(c), synthetic: syntheticFrequencies(c))
            })
        }
        if categorical >= 2 {
            out.append(Metric(.contingencySimilarity, needs: needs) { c in
                contingencySimilarity(real: c.perChain(realContingencyKey) { contingencies(c.heldout!) },
                                      synthetic: contingencies(c.batch!))
            })
        }
        return out.sorted { $0.name < $1.name }
    }

    // MARK: Shared pieces (held-out: once per chain; batch: once per generation)

    static let realSortedKey = SharedValue<[[Double]]>()
    static let syntheticSortedKey = SharedValue<[[Double]]>()
    static let realFrequencyKey = SharedValue<[[Double]]>()
    static let syntheticFrequencyKey = SharedValue<[[Double]]>()
    static let realCorrelationKey = SharedValue<[Double?]>()
    static let realContingencyKey = SharedValue<[[Double]]>()

    static func realSorted<F>(_ c: MetricContext<F>) -> [[Double]] where F.Data == MixedTable {
        c.perChain(realSortedKey) { c.heldout!.numeric.map { $0.sorted() } }
    }
    static func syntheticSorted<F>(_ c: MetricContext<F>) -> [[Double]] where F.Data == MixedTable {
        c.shared(syntheticSortedKey) { c.batch!.numeric.map { $0.sorted() } }
    }
    static func realFrequencies<F>(_ c: MetricContext<F>) -> [[Double]] where F.Data == MixedTable {
        c.perChain(realFrequencyKey) { frequencies(c.heldout!) }
    }
    static func syntheticFrequencies<F>(_ c: MetricContext<F>) -> [[Double]] where F.Data == MixedTable {
        c.shared(syntheticFrequencyKey) { frequencies(c.batch!) }
    }

    // MARK: The definitions, on tables

    /// `ks_complement` of two tables of the same schema.
    public static func ksComplement(real: MixedTable, synthetic: MixedTable) -> Double {
        ksComplement(real: real.numeric.map { $0.sorted() }, synthetic: synthetic.numeric.map { $0.sorted() })
    }

    /// `tv_complement` of two tables of the same schema.
    public static func tvComplement(real: MixedTable, synthetic: MixedTable) -> Double {
        tvComplement(real: frequencies(real), synthetic: frequencies(synthetic))
    }

    /// `correlation_similarity` of two tables of the same schema.
    public static func correlationSimilarity(real: MixedTable, synthetic: MixedTable) -> Double {
        correlationSimilarity(real: correlations(real), synthetic: correlations(synthetic))
    }

    /// `contingency_similarity` of two tables of the same schema.
    public static func contingencySimilarity(real: MixedTable, synthetic: MixedTable) -> Double {
        contingencySimilarity(real: contingencies(real), synthetic: contingencies(synthetic))
    }

    /// `rare_category_loss` of two tables of the same schema.
    public static func rareCategoryLoss(real: MixedTable, synthetic: MixedTable) -> Double {
        rareCategoryLoss(real: frequencies(real), synthetic: frequencies(synthetic))
    }

    /// `range_coverage` of two tables of the same schema.
    public static func rangeCoverage(real: MixedTable, synthetic: MixedTable) -> Double {
        rangeCoverage(real: real.numeric.map { $0.sorted() }, synthetic: synthetic.numeric.map { $0.sorted() })
    }

    /// `variance_ratio` of two tables of the same schema.
    public static func varianceRatio(real: MixedTable, synthetic: MixedTable) -> Double {
        var total = 0.0, columns = 0
        for (r, s) in zip(real.numeric, synthetic.numeric) {
            let vr = unbiasedVariance(r)
            guard vr > 0 else { continue }
            total += unbiasedVariance(s) / vr
            columns += 1
        }
        return columns > 0 ? total / Double(columns) : .nan
    }

    // MARK: The definitions, on summaries

    static func ksComplement(real: [[Double]], synthetic: [[Double]]) -> Double {
        mean(zip(real, synthetic).map { 1 - kolmogorovSmirnov($0, $1) })
    }

    static func tvComplement(real: [[Double]], synthetic: [[Double]]) -> Double {
        mean(zip(real, synthetic).map { 1 - totalVariation($0, $1) })
    }

    static func correlationSimilarity(real: [Double?], synthetic: [Double?]) -> Double {
        var scores: [Double] = []
        for (r, s) in zip(real, synthetic) {
            guard let r else { continue }
            scores.append(1 - abs(r - (s ?? 0)) / 2)
        }
        return mean(scores)
    }

    static func contingencySimilarity(real: [[Double]], synthetic: [[Double]]) -> Double {
        mean(zip(real, synthetic).map { 1 - totalVariation($0, $1) })
    }

    static func rareCategoryLoss(real: [[Double]], synthetic: [[Double]]) -> Double {
        var rare = 0, lost = 0
        for (p, q) in zip(real, synthetic) {
            for k in p.indices where p[k] > 0 && p[k] < rareFrequency {
                rare += 1
                if q[k] == 0 { lost += 1 }
            }
        }
        return rare > 0 ? Double(lost) / Double(rare) : .nan
    }

    static func rangeCoverage(real: [[Double]], synthetic: [[Double]]) -> Double {
        var scores: [Double] = []
        for (r, s) in zip(real, synthetic) {
            guard let rLow = r.first, let rHigh = r.last, rHigh > rLow else { continue }
            guard let sLow = s.first, let sHigh = s.last else { scores.append(0); continue }
            scores.append(max(min(rHigh, sHigh) - max(rLow, sLow), 0) / (rHigh - rLow))
        }
        return mean(scores)
    }

    // MARK: Pieces

    /// The two-sample KS statistic of two ascending samples: the largest gap between
    /// their empirical CDFs, taken after each distinct value (exact with ties).
    /// - Complexity: O(n + m).
    public static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count), m = Double(b.count)
        guard n > 0, m > 0 else { return 1 }
        var i = 0, j = 0, d = 0.0
        while i < a.count || j < b.count {
            let v = j == b.count ? a[i] : i == a.count ? b[j] : min(a[i], b[j])
            while i < a.count && a[i] == v { i += 1 }
            while j < b.count && b[j] == v { j += 1 }
            d = max(d, abs(Double(i) / n - Double(j) / m))
        }
        return d
    }

    /// ½ Σ |p − q|.
    static func totalVariation(_ p: [Double], _ q: [Double]) -> Double {
        var s = 0.0
        for k in p.indices { s += abs(p[k] - q[k]) }
        return s / 2
    }

    /// Each categorical column's level frequencies.
    static func frequencies(_ t: MixedTable) -> [[Double]] {
        zip(t.categorical, t.schema.levelCounts).map { codes, k in CopulaFamily.frequencies(codes, levels: k) }
    }

    /// Pearson ρ of each pair (a < b) of numeric columns, in row order of the pairs; nil
    /// where a column is constant.
    static func correlations(_ t: MixedTable) -> [Double?] {
        let cols = t.numeric
        let n = t.count
        let means = cols.map { n > 0 ? Statistics.mean($0, count: n) : .nan }
        let ss = zip(cols, means).map { c, m in c.reduce(0) { $0 + ($1 - m) * ($1 - m) } }
        var out: [Double?] = []
        for a in cols.indices {
            for b in cols.indices where b > a {
                guard ss[a] > 0, ss[b] > 0 else { out.append(nil); continue }
                var s = 0.0
                for i in 0..<n { s += (cols[a][i] - means[a]) * (cols[b][i] - means[b]) }
                out.append(s / (ss[a] * ss[b]).squareRoot())
            }
        }
        return out
    }

    /// The normalised contingency table of each pair (a < b) of categorical columns,
    /// flat Ka × Kb.
    static func contingencies(_ t: MixedTable) -> [[Double]] {
        let levels = t.schema.levelCounts
        let n = Double(t.count)
        var out: [[Double]] = []
        for a in t.categorical.indices {
            for b in t.categorical.indices where b > a {
                let kb = levels[b]
                var cells = [Double](repeating: 0, count: levels[a] * kb)
                let x = t.categorical[a], y = t.categorical[b]
                for i in 0..<t.count { cells[Int(x[i]) * kb + Int(y[i])] += 1 }
                out.append(cells.map { $0 / n })
            }
        }
        return out
    }

    static func unbiasedVariance(_ x: [Double]) -> Double {
        guard x.count > 1 else { return .nan }
        return Statistics.variance(x, mean: Statistics.mean(x, count: x.count), ddof: 1, count: x.count)
    }

    static func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }
}
