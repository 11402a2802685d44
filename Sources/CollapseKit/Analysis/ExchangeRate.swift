import Foundation

/// The exchange rate between synthetic and real data (issue 17): how many synthetic
/// points one real point is worth for a downstream utility.
///
/// The real arm gives a utility curve U_real(r) against the real training size r; it is
/// made monotone in r by weighted isotonic regression of its means (weights: replicate
/// counts) and joined linearly in r (``MonotoneCurve``). The synthetic arm gives, for a
/// generator fitted to n real points and a synthetic training set of s points, a mean
/// utility U_syn(s). The *equivalent real size* is r*(s) = inf{r : U_real(r) ≥ U_syn(s)},
/// and the rate is s / r*: synthetic points per real point of equal utility (> 1: a
/// synthetic point is worth less than a real one). When U_syn is outside the curve's
/// range, r* is not identified (``Point/note`` says which side).
///
/// The 95 % interval is a percentile bootstrap (``PercentileBootstrap``): each resample
/// draws every cell's replicates with replacement (real and synthetic cells
/// independently), refits the real curve and recomputes every rate. A resample whose
/// synthetic utility falls beyond the curve counts as a rate beyond the identified
/// range (above s/r_min or below s/r_max), so it still orders; an interval end that
/// falls among such resamples is not identified and left empty.
///
/// The inversion is the "effective data transferred" of Hernandez, Kaplan, Henighan and
/// McCandlish (2021), "Scaling laws for transfer", arXiv:2102.01293, §2: the amount of
/// data a from-scratch model would need to match the utility reached otherwise, read
/// off the from-scratch curve. The synthetic-for-real "exchange rate" it measures is the
/// one of issue 17 (docs/literature.md).
public enum ExchangeRate {
    /// One point of an arm: its size and the replicate values of each cell at that size
    /// (non-finite values are dropped).
    public struct Group: Sendable {
        public var size: Int
        public var cells: [[Double]]
        public init(size: Int, cells: [[Double]]) {
            self.size = size
            self.cells = cells.map { $0.filter(\.isFinite) }
        }
        var values: [Double] { cells.flatMap { $0 } }
    }

    /// The synthetic arm at one real set size n: its groups by synthetic size s.
    public struct SyntheticArm: Sendable {
        public var realSetSize: Int
        public var groups: [Group]
        public init(realSetSize: Int, groups: [Group]) {
            self.realSetSize = realSetSize
            self.groups = groups
        }
    }

    public struct Options: Sendable {
        /// Bootstrap resamples B.
        public var resamples = 2000
        /// The bootstrap stream's seed.
        public var seed: UInt64 = 1
        /// The utility falls with r (a loss): the curve is fitted non-increasing.
        public var lowerIsBetter = false
        public init(resamples: Int = 2000, seed: UInt64 = 1, lowerIsBetter: Bool = false) {
            self.resamples = resamples
            self.seed = seed
            self.lowerIsBetter = lowerIsBetter
        }
    }

    /// A real-arm point: r, replicates, mean utility, its standard error and the
    /// isotonic fit there.
    public struct RealPoint: Equatable, Sendable {
        public var size: Int
        public var replicates: Int
        public var mean: Double
        public var se: Double
        public var fitted: Double
    }

    /// A synthetic-arm point: n, s, replicates, mean utility and SE, r* and the rate
    /// s/r* with its interval (nil where not identified), and a note saying why.
    public struct Point: Equatable, Sendable {
        public var realSetSize: Int
        public var size: Int
        public var replicates: Int
        public var mean: Double
        public var se: Double
        public var equivalentRealSize: Double?
        public var rate: Double?
        public var rateLow: Double?
        public var rateHigh: Double?
        public var note: String
    }

    public struct Result: Equatable, Sendable {
        public var real: [RealPoint]
        public var synthetic: [Point]
        public var curve: MonotoneCurve
    }

    /// Mean and standard error (sd with k − 1 over √k; NaN for k < 2).
    static func meanSE(_ v: [Double]) -> (mean: Double, se: Double) {
        guard !v.isEmpty else { return (.nan, .nan) }
        let mean = v.reduce(0, +) / Double(v.count)
        guard v.count > 1 else { return (mean, .nan) }
        let ss = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (ss / Double(v.count - 1)).squareRoot() / Double(v.count).squareRoot())
    }

    /// The analysis. `metric` names the real arm's metric in errors.
    /// - Throws: ``AnalysisError/tooFewRealSizes(metric:sizes:)`` when fewer than two
    ///   real sizes have finite values.
    public static func analyze(real: [Group], synthetic: [SyntheticArm], options: Options = Options(),
                               metric: String = "the real metric") throws(AnalysisError) -> Result {
        let realGroups = real.filter { !$0.values.isEmpty }.sorted { $0.size < $1.size }
        guard realGroups.count >= 2 else { throw .tooFewRealSizes(metric: metric, sizes: realGroups.map(\.size)) }
        let sign = options.lowerIsBetter ? -1.0 : 1.0
        let x = realGroups.map { Double($0.size) }
        let weights = realGroups.map { Double($0.values.count) }
        let stats = realGroups.map { meanSE($0.values) }
        let curve = MonotoneCurve(x: x, y: stats.map { sign * $0.mean }, weights: weights)
        let realPoints = realGroups.indices.map { i in
            RealPoint(size: realGroups[i].size, replicates: realGroups[i].values.count, mean: stats[i].mean,
                      se: stats[i].se, fitted: sign * curve.fitted[i])
        }
        let arms = synthetic.sorted { $0.realSetSize < $1.realSetSize }
            .map { SyntheticArm(realSetSize: $0.realSetSize, groups: $0.groups.sorted { $0.size < $1.size }) }
        let flat = arms.flatMap { arm in arm.groups.map { (n: arm.realSetSize, group: $0) } }

        // Bootstrap: one stream, cells in a fixed order (real by r, then synthetic by n, s).
        let stream = RandomStream(key: StreamKey(seed: options.seed, cell: 0x65786368_72617465, replicate: 0))
        var rates = [[Double]](repeating: [], count: flat.count)
        for i in rates.indices { rates[i].reserveCapacity(options.resamples) }
        for _ in 0..<options.resamples {
            let means = realGroups.map { sign * PercentileBootstrap.resampledMean($0.cells, stream: stream) }
            let resampled = MonotoneCurve(x: x, y: means, weights: weights)
            for (i, item) in flat.enumerated() where !item.group.values.isEmpty {
                let u = sign * PercentileBootstrap.resampledMean(item.group.cells, stream: stream)
                switch resampled.inverse(u) {
                case .value(let r): rates[i].append(Double(item.group.size) / r)
                case .belowMinimum: rates[i].append(.infinity)
                case .aboveMaximum: rates[i].append(-.infinity)
                }
            }
        }

        let best = realPoints.last!, worst = realPoints.first!
        var points: [Point] = []
        for (i, item) in flat.enumerated() {
            let values = item.group.values
            let (mean, se) = meanSE(values)
            var point = Point(realSetSize: item.n, size: item.group.size, replicates: values.count, mean: mean, se: se,
                              equivalentRealSize: nil, rate: nil, rateLow: nil, rateHigh: nil, note: "")
            guard !values.isEmpty else {
                point.note = "no finite values"
                points.append(point)
                continue
            }
            let text = { (x: Double) in String(format: "%.4g", x) }
            switch curve.inverse(sign * mean) {
            case .belowMinimum:
                point.note = "not identified: utility \(text(mean)) is worse than the real curve at its smallest size (\(text(worst.fitted)) at r = \(worst.size)); fewer real points than \(worst.size) match it"
            case .aboveMaximum:
                point.note = "not identified: utility \(text(mean)) is better than the real curve at its largest size (\(text(best.fitted)) at r = \(best.size)); more real points than \(best.size) would be needed"
            case .value(let r):
                point.equivalentRealSize = r
                point.rate = Double(item.group.size) / r
                let sorted = rates[i].sorted()
                point.rateLow = PercentileBootstrap.quantile(sorted: sorted, 0.025)
                point.rateHigh = PercentileBootstrap.quantile(sorted: sorted, 0.975)
                var notes: [String] = []
                let above = sorted.filter { $0 == -.infinity }.count, below = sorted.filter { $0 == .infinity }.count
                if point.rateLow == nil {
                    notes.append("rate_low not identified: \(above) of \(sorted.count) resamples better than the real curve at r = \(best.size)")
                }
                if point.rateHigh == nil {
                    notes.append("rate_high not identified: \(below) of \(sorted.count) resamples worse than the real curve at r = \(worst.size)")
                }
                point.note = notes.joined(separator: "; ")
            }
            points.append(point)
        }
        return Result(real: realPoints, synthetic: points, curve: curve)
    }
}
