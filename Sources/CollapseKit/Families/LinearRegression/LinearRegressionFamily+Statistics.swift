/// Linear regression on sufficient statistics: the triangular factor R of the QR
/// decomposition [X y] = Q R and the row count m. With R = [[R_X, z], [0, ρ]],
/// ‖y − X w‖² = ‖z − R_X w‖² + ρ² for every w, so the least-squares fit of (X, y) is
/// the one of (R_X, z) — same weights, same singular values, same rank — and two
/// datasets merge by the QR of their stacked factors (the updating of Golub & Van Loan,
/// *Matrix Computations*, 4th ed., §6.5). `accumulate` then costs O(n d²) per
/// generation instead of refitting a pool of (t+1)·n points; there is no exact
/// statistics sampler for this family.
extension LinearRegressionFamily: SufficientStatisticFamily {
    /// R of [X y] ((d+1)×(d+1), row-major upper triangular) for `count` rows.
    public struct Statistics: Sendable {
        public var count: Int
        public var factor: [Double]
    }

    public func statistics(of data: RegressionSample) -> Statistics {
        let d = dimension, m = data.count
        guard m > 0 else { return Statistics(count: 0, factor: [Double](repeating: 0, count: (d + 1) * (d + 1))) }
        var a = [Double](repeating: 0, count: m * (d + 1))
        for i in 0..<m {
            for k in 0..<d { a[i * (d + 1) + k] = data.x.values[i * d + k] }
            a[i * (d + 1) + d] = data.y[i]
        }
        return Statistics(count: m, factor: LeastSquares.triangularFactor(a, columns: d + 1) ?? Self.nanFactor(d))
    }

    public func merge(_ a: Statistics, _ b: Statistics) -> Statistics {
        if b.count == 0 { return a }
        if a.count == 0 { return b }
        let factor = LeastSquares.triangularFactor(a.factor + b.factor, columns: dimension + 1) ?? Self.nanFactor(dimension)
        return Statistics(count: a.count + b.count, factor: factor)
    }

    /// OLS of (R_X, z), with the rank tolerance of the m original rows; RSS adds ρ².
    public func fit(statistics s: Statistics) -> Model {
        let d = dimension, c = d + 1
        var rx = [Double](repeating: 0, count: d * d), z = [Double](repeating: 0, count: d)
        for i in 0..<d {
            for k in 0..<d { rx[i * d + k] = s.factor[i * c + k] }
            z[i] = s.factor[i * c + d]
        }
        let rho = s.factor[d * c + d]
        guard s.count > 0, let solution = LeastSquares.solve(x: rx, y: z, dimension: d, toleranceRows: s.count),
              solution.weights.allSatisfy({ $0.isFinite }), rho.isFinite else {
            return Model(weights: [Double](repeating: .nan, count: d), rank: 0,
                         residualSumOfSquares: .nan, trainingCount: s.count, events: [.nonFiniteParameters])
        }
        return Model(weights: solution.weights, rank: solution.rank,
                     residualSumOfSquares: solution.residualSumOfSquares + rho * rho, trainingCount: s.count,
                     events: solution.rank < d ? [.singularDesign] : [])
    }

    /// The batch of ``sample(_:count:truth:stream:)`` (its x are needed for the
    /// factor), reduced to the statistics of its first `prefix` rows.
    public func sampleStatistics(_ model: Model, count: Int, prefix: Int, keep: Bool, streaming: Set<MetricName>,
                                 truth: Truth, stream: RandomStream) -> SampledBatch<Statistics, RegressionSample> {
        let output = sample(model, count: count, truth: truth, stream: stream)
        return SampledBatch(statistics: statistics(of: prefix == count ? output : output.prefix(prefix)),
                            output: keep ? output : nil)
    }


    static func nanFactor(_ d: Int) -> [Double] { [Double](repeating: .nan, count: (d + 1) * (d + 1)) }
}
