import Foundation

/// `model.dp` of the copula as written: the shared (ε, δ, budget), each numeric
/// column's clipping bounds (one `[lo, hi]` for every numeric column, or a map from
/// column name to `[lo, hi]`), the histogram `bins` and the `score_bound` B.
public struct CopulaDPSettings: Equatable, Sendable {
    /// `bounds`: one range for every numeric column, or one per named column.
    public enum Bounds: Equatable, Sendable {
        case all(lower: Double, upper: Double)
        case columns([String: [Double]])
    }

    public var privacy: DPSettings
    /// nil when the table has no numeric column (no `bounds` needed).
    public var bounds: Bounds?
    public var bins: Int
    public var scoreBound: Double

    public static let defaultBins = 32
    public static let defaultScoreBound = 2.0

    public init(privacy: DPSettings, bounds: Bounds?, bins: Int = defaultBins, scoreBound: Double = defaultScoreBound) {
        self.privacy = privacy
        self.bounds = bounds
        self.bins = bins
        self.scoreBound = scoreBound
    }

    var jsonValue: JSONValue {
        guard case .map(var map) = privacy.jsonValue else { return privacy.jsonValue }
        switch bounds {
        case .all(let lo, let hi)?: map["bounds"] = .list([.double(lo), .double(hi)])
        case .columns(let m)?: map["bounds"] = .map(m.mapValues { .list($0.map(JSONValue.double)) })
        case nil: break
        }
        map["bins"] = .int(bins)
        map["score_bound"] = .double(scoreBound)
        return .map(map)
    }

    /// Parses the copula's `model.dp`; nil (errors reported) when a value is bad. The
    /// bounds are checked against the table's columns later (``boundsProblem(_:)``).
    static func parse(_ r: ConfigReader) -> CopulaDPSettings? {
        let bins = r.int("bins", default: defaultBins, range: 2...100_000, note: "histogram bins of each numeric marginal")
        let scoreBound = r.double("score_bound", default: defaultScoreBound,
                                  allowed: "a number > 0 (normal scores are clipped to [−B, B] before their moments are released)") { $0 > 0 }
        var bounds: Bounds?
        var boundsOK = true
        let allowed = "[lo, hi] with lo < hi for every numeric column, or a map from numeric column name to [lo, hi]"
        if let v = r.raw("bounds") {
            boundsOK = false
            if case .map(let m) = v {
                var ranges: [String: [Double]] = [:]
                var ok = true
                for (name, range) in m.sorted(by: { $0.key < $1.key }) {
                    guard let xs = r.doublesFrom(range, key: "bounds.\(name)", allowed: allowed, valid: { $0.isFinite }) else {
                        ok = false
                        continue
                    }
                    if xs.count == 2, xs[0] < xs[1] { ranges[name] = xs } else { r.fail("bounds.\(name)", range.shortDescription, allowed); ok = false }
                }
                if ok { bounds = .columns(ranges); boundsOK = true }
            } else if let xs = r.doublesFrom(v, key: "bounds", allowed: allowed, valid: { $0.isFinite }) {
                if xs.count == 2, xs[0] < xs[1] { bounds = .all(lower: xs[0], upper: xs[1]); boundsOK = true } else { r.fail("bounds", v.shortDescription, allowed) }
            }
        }
        let privacy = DPSettings.parse(r, needsBounds: false, extraKeys: ["bounds", "bins", "score_bound"])
        guard let privacy, let bins, let scoreBound, boundsOK else { return nil }
        return CopulaDPSettings(privacy: privacy, bounds: bounds, bins: bins, scoreBound: scoreBound)
    }

    /// The numeric columns' bounds in schema order, or the config error: every numeric
    /// column needs one (public knowledge, not the data's range, which would leak), and
    /// a map may name only numeric columns.
    func resolvedBounds(_ schema: TableSchema) -> Result<[(Double, Double)], ConfigError> {
        let numeric = schema.numericColumns.map { schema.columns[$0].name }
        let field = "model.dp.bounds"
        switch bounds {
        case nil:
            guard numeric.isEmpty else {
                return .failure(ConfigError(field: field, value: "nothing",
                                            allowed: "clipping bounds for the numeric columns \(numeric.joined(separator: ", ")): [lo, hi] for all, or a map from column name to [lo, hi] (known limits, not the data's range, which would leak)"))
            }
            return .success([])
        case .all(let lo, let hi)?:
            return .success(numeric.map { _ in (lo, hi) })
        case .columns(let m)?:
            if let unknown = m.keys.sorted().first(where: { !numeric.contains($0) }) {
                return .failure(ConfigError(field: "\(field).\(unknown)", value: "a column that is not a modelled numeric column",
                                            allowed: "the numeric columns \(numeric.joined(separator: ", "))"))
            }
            let missing = numeric.filter { m[$0] == nil }
            guard missing.isEmpty else {
                return .failure(ConfigError(field: field, value: "no bounds for \(missing.joined(separator: ", "))",
                                            allowed: "[lo, hi] for every numeric column (\(numeric.joined(separator: ", ")))"))
            }
            return .success(numeric.map { (m[$0]![0], m[$0]![1]) })
        }
    }
}

extension CopulaDPSettings {
    /// The bounds of a validated config (``resolvedBounds(_:)`` has accepted them).
    func validatedBounds(_ schema: TableSchema) -> [(Double, Double)] {
        guard case .success(let bounds) = resolvedBounds(schema) else { preconditionFailure("model.dp.bounds not validated") }
        return bounds
    }
}

/// The copula's DP fit (issue 16's suggestion, made precise), ρ-zCDP under
/// replace-one neighbouring with ρ = ρ(ε, δ) split equally:
///
/// 1. **Marginals, ρ/2.** Each column's histogram — a numeric column's counts in `bins`
///    equal bins on its bounds (values clipped to them), a categorical column's counts
///    of its levels — through ``NoisyCountsMechanism`` at ρ/(2d): replacing one row moves
///    one count down and one up in each of the d histograms, an L2 sensitivity of √(2d)
///    for all of them together, so σ = √(2d/ρ) per count gives ρ/2 (Bun & Steinke 2016,
///    Prop. 1.6). Numeric columns become ``HistogramMarginal``s, categorical ones the
///    noisy frequencies.
/// 2. **Dependence, ρ/2.** Each row's normal scores under the *released* marginals
///    (Φ⁻¹ of the histogram CDF; a category's mid-rank), clipped to [−B, B], go through
///    ``GaussianMomentsMechanism`` on [−B, B]ᵈ (noisy Σz and Σzzᵀ); the released
///    covariance, rescaled to unit diagonal, is R. The score map depends only on step 1's
///    output, so the two compose adaptively (Lemma 2.3).
///
/// R is then repaired to positive definite like a plain fit's (post-processing). It is
/// the histogram-plus-correlation release of DPCopula (Li, Xiong & Jiang 2014), with
/// Pearson moments of clipped scores in place of Kendall's τ so that categorical columns
/// take part.
public struct CopulaDPMechanism: Sendable {
    public let rho: Double
    /// Each numeric column's bounds, schema order of the numeric columns.
    public let bounds: [(Double, Double)]
    public let bins: Int
    public let scoreBound: Double
    public let schema: TableSchema

    public init(schema: TableSchema, bounds: [(Double, Double)], bins: Int, scoreBound: Double, rho: Double) {
        precondition(bounds.count == schema.numericColumns.count && bins >= 2 && scoreBound > 0 && rho > 0)
        self.schema = schema
        self.bounds = bounds
        self.bins = bins
        self.scoreBound = scoreBound
        self.rho = rho
    }

    /// The histograms' mechanism: ρ/(2d) each, σ = √(2d/ρ).
    public var histograms: NoisyCountsMechanism { NoisyCountsMechanism(rho: rho / (2 * Double(schema.columns.count))) }
    /// The scores' moments mechanism, ρ/2.
    public var moments: GaussianMomentsMechanism {
        GaussianMomentsMechanism(lower: -scoreBound, upper: scoreBound, dimension: schema.columns.count, rho: rho / 2)
    }

    /// Each column's exact histogram, schema order: a numeric column's counts in `bins`
    /// equal bins on its bounds (values clipped to them), a categorical one's level counts.
    public func histogramCounts(_ data: MixedTable) -> [[Int]] {
        schema.columns.enumerated().map { j, c in
            let s = schema.slot[j]
            if c.type == .categorical {
                var counts = [Int](repeating: 0, count: c.levels.count)
                for k in data.categorical[s] { counts[Int(k)] += 1 }
                return counts
            }
            let (lo, hi) = bounds[s]
            var counts = [Int](repeating: 0, count: bins)
            for x in data.numeric[s] { counts[HistogramMarginal.bin(x, lower: lo, upper: hi, bins: bins)] += 1 }
            return counts
        }
    }

    /// The released marginals, categorical frequencies and correlation (not yet
    /// repaired); the noise draws from `stream`: the histograms' counts in column order,
    /// then the moments'.
    public func release(_ data: MixedTable, stream: RandomStream) -> (marginals: [CopulaMarginal], frequencies: [[Double]], correlation: SymmetricMatrix) {
        let d = schema.columns.count, n = data.count
        var marginals = [CopulaMarginal](repeating: .normal(mean: 0, sd: 0), count: schema.numericColumns.count)
        var frequencies = [[Double]](repeating: [], count: schema.categoricalColumns.count)
        let noise = histograms
        for (j, counts) in histogramCounts(data).enumerated() {
            let s = schema.slot[j], released = noise.release(counts, stream: stream)
            if schema.columns[j].type == .numeric {
                let (lo, hi) = bounds[s]
                marginals[s] = .histogram(HistogramMarginal(lower: lo, upper: hi, weights: released))
            } else {
                let total = released.reduce(0, +)
                frequencies[s] = released.map { $0 / total }
            }
        }
        // Row-major scores under the released marginals (the moments mechanism clips them).
        var scores = [Double](repeating: 0, count: n * d)
        for (j, c) in schema.columns.enumerated() {
            let s = schema.slot[j]
            if c.type == .numeric {
                let z = marginals[s].scores(data.numeric[s])
                for i in 0..<n { scores[i * d + j] = z[i] }
            } else {
                let mid = CopulaFamily.midpointScores(frequencies[s])
                for i in 0..<n { scores[i * d + j] = mid[Int(data.categorical[s][i])] }
            }
        }
        let (_, covariance) = moments.release(scores, stream: stream)
        var r = SymmetricMatrix.diagonal([Double](repeating: 1, count: d))
        for a in 0..<d {
            for b in (a + 1)..<d {
                let v = min(max(covariance[a, b] / (covariance[a, a] * covariance[b, b]).squareRoot(), -1), 1)
                r[a, b] = v
                r[b, a] = v
            }
        }
        return (marginals, frequencies, r)
    }
}

/// `model.dp` of the copula family, resolved against the table: the mechanism and the
/// run's accounting (``DPAccounting``); a fit on synthetic rows only is the plain fit.
public struct CopulaDP: Sendable {
    public let settings: CopulaDPSettings
    public let mechanism: CopulaDPMechanism
    public let accounting: DPAccounting

    public init(settings: CopulaDPSettings, mechanism: CopulaDPMechanism, accounting: DPAccounting) {
        self.settings = settings
        self.mechanism = mechanism
        self.accounting = accounting
    }
}
