/// The categorical family's sufficient-statistic paths: the fit p̂ depends on a sample
/// only through its category counts, so a batch is drawn as counts — one alias-table
/// draw per observation counted on the fly (sample mode), or the whole count vector
/// at once as a multinomial (statistics mode).
extension CategoricalFamily: ExactStatisticFamily {
    public func statistics(of data: CategorySample) -> CategoryCounts {
        CategoryCounts(counts: data.counts(categories: categoryCount))
    }

    public func merge(_ a: CategoryCounts, _ b: CategoryCounts) -> CategoryCounts { a.merged(with: b) }

    public func fit(statistics s: CategoryCounts) -> Model { fit(counts: s.counts, total: s.total) }


    /// The draws of ``sample(_:count:truth:stream:)``, counted as they are drawn.
    /// - Complexity: O(count + K); O(K) memory unless `keep`.
    public func sampleStatistics(_ model: Model, count: Int, prefix: Int, keep: Bool, streaming: Set<MetricName>,
                                 truth: RowPool?, stream: RandomStream) -> SampledBatch<CategoryCounts, CategorySample> {
        let table = samplingTable(model)
        if keep {
            let output = CategorySample(categories: table.draw(count, stream: stream))
            return SampledBatch(statistics: statistics(of: output.prefix(prefix)), output: output)
        }
        var counts = [Int](repeating: 0, count: categoryCount)
        table.count(prefix, into: &counts, stream: stream)
        table.skip(count - prefix, stream: stream)
        return SampledBatch(statistics: CategoryCounts(counts: counts, total: prefix), output: nil)
    }

    /// Counts ~ Multinomial(count, q), q = bias(p̂) (``multinomial(_:probabilities:stream:)``).
    /// - Complexity: O(|support of q|), whatever `count`.
    public func drawStatistics(_ model: Model, count: Int, truth: RowPool?, stream: RandomStream) -> CategoryCounts {
        let q = bias.apply(model.probabilities)
        return Self.multinomial(count, probabilities: q, stream: stream)
    }

    /// Counts ~ Multinomial(count, p) for the real probabilities p; a file's real
    /// draws are without replacement, so their counts come from the drawn rows.
    public func drawRealStatistics(_ count: Int, truth: RowPool?, stream: RandomStream) -> CategoryCounts {
        if truth != nil { return statistics(of: drawReal(count, truth: truth, stream: stream)) }
        return Self.multinomial(count, probabilities: real.probabilities, stream: stream)
    }

    /// A multinomial count vector by conditional binomials (as GSL's
    /// `gsl_ran_multinomial`, after Davis, "The computer generation of multinomial
    /// random variates", Comput. Stat. Data Anal. 16, 1993): n_k ~ Binomial(N − Σ_{j<k} n_j,
    /// p_k / (1 − Σ_{j<k} p_j)). Categories of probability 0 are skipped and the loop
    /// stops once all N are placed, so the cost is at most the support size.
    static func multinomial(_ n: Int, probabilities p: [Double], stream: RandomStream) -> CategoryCounts {
        let k = p.count
        var counts = [Int](repeating: 0, count: k)
        var remaining = n
        // The remaining mass is summed from the back, so it is exact at the last category.
        var tail = [Double](repeating: 0, count: k + 1)
        for i in stride(from: k - 1, through: 0, by: -1) { tail[i] = tail[i + 1] + p[i] }
        for i in 0..<k where remaining > 0 && p[i] > 0 {
            let share = min(p[i] / tail[i], 1)
            let c = share >= 1 ? remaining : stream.binomial(remaining, probability: share)
            counts[i] = c
            remaining -= c
        }
        return CategoryCounts(counts: counts, total: n - remaining)
    }

    /// The alias table of q = bias(p̂).
    func samplingTable(_ model: Model) -> WalkerAliasTable {
        guard let table = WalkerAliasTable(weights: bias.apply(model.probabilities)) else {
            preconditionFailure("a diagnosed categorical model has finite probabilities with positive mass")
        }
        return table
    }
}

/// The sufficient statistics of a categorical fit: how many observations fell in each
/// category, and their total.
public struct CategoryCounts: Equatable, Sendable {
    public var counts: [Int]
    public var total: Int

    public init(counts: [Int], total: Int? = nil) {
        self.counts = counts
        self.total = total ?? counts.reduce(0, +)
    }

    public func merged(with b: CategoryCounts) -> CategoryCounts {
        CategoryCounts(counts: zip(counts, b.counts).map { $0 + $1 }, total: total + b.total)
    }
}
