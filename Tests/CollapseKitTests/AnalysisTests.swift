import CollapseKit
import Testing

// The algorithms of `collapse analyze exchange-rate` (Sources/CollapseKit/Analysis/):
// isotonic regression and the monotone curve against hand computations, the percentile
// quantile, the exchange rate recovered on a curve built with a known rate, the parity
// share, and the errors.

@Suite struct AnalysisTests {
    // MARK: Isotonic regression and the monotone curve

    /// PAVA by hand: [1, 3, 2, 4] pools 3 and 2 into 2.5; weights pool by weighted mean
    /// ((3·1 + 2·3)/4 = 2.25); a violation that cascades pools back to the start.
    @Test func poolAdjacentViolatorsByHand() {
        #expect(IsotonicRegression.fit([1, 3, 2, 4]) == [1, 2.5, 2.5, 4])
        #expect(IsotonicRegression.fit([1, 3, 2], weights: [1, 1, 3]) == [1, 2.25, 2.25])
        #expect(IsotonicRegression.fit([3, 1, 2]) == [2, 2, 2])
        #expect(IsotonicRegression.fit([5, 4, 3, 2]) == [3.5, 3.5, 3.5, 3.5])
        #expect(IsotonicRegression.fit([1, 2, 3]) == [1, 2, 3])
    }

    /// The curve through (10, 0.5), (20, 0.75), (40, 0.625) (binary fractions, so the
    /// arithmetic is exact): the fit pools the last two to 0.6875. f(15) = 0.59375;
    /// f⁻¹(0.625) = 10 + (0.125/0.1875)·10 = 16.67; f⁻¹(0.6875) = 20, the left end of
    /// the flat stretch; f⁻¹(0.5) = 10; outside [0.5, 0.6875] not identified.
    @Test func monotoneCurveInverseByHand() throws {
        let curve = MonotoneCurve(x: [10, 20, 40], y: [0.5, 0.75, 0.625])
        #expect(curve.fitted == [0.5, 0.6875, 0.6875])
        #expect(curve.value(at: 15) == 0.59375)
        #expect(curve.value(at: 100) == 0.6875)
        guard case .value(let r) = curve.inverse(0.625) else { Issue.record("0.625 not identified"); return }
        #expect(abs(r - (10 + 10 * 0.125 / 0.1875)) < 1e-12)
        #expect(curve.inverse(0.6875) == .value(20))
        #expect(curve.inverse(0.5) == .value(10))
        #expect(curve.inverse(0.49) == .belowMinimum)
        #expect(curve.inverse(0.69) == .aboveMaximum)
    }

    /// Type 7 by hand: h = (B − 1)p; an end beside an unidentified (±∞) resample is nil.
    @Test func percentileQuantileByHand() {
        #expect(PercentileBootstrap.quantile(sorted: [1, 2, 3, 4, 5], 0.25) == 2)
        #expect(abs(PercentileBootstrap.quantile(sorted: [1, 2, 3, 4, 5], 0.1)! - 1.4) < 1e-15)
        #expect(PercentileBootstrap.quantile(sorted: [-.infinity, 2, 3], 0.25) == nil)
        #expect(PercentileBootstrap.quantile(sorted: [-.infinity, 2, 3], 0.5) == 2)
        #expect(PercentileBootstrap.quantile(sorted: [1, 2, .infinity], 1) == nil)
    }

    // MARK: The exchange rate

    /// u(n) = 1 − 1/(1 + n/50), a saturating utility curve.
    static func u(_ n: Double) -> Double { 1 - 1 / (1 + n / 50) }

    /// `count` values of `mean` plus N(0, σ²) noise from a seeded stream.
    static func noisy(_ mean: Double, count: Int, sd: Double, stream: RandomStream) -> [Double] {
        (0..<count).map { _ in mean + sd * stream.standardNormal() }
    }

    /// A known rate: one real point is worth k = 4 synthetic ones, U_syn(s) = u(s/k).
    /// The real arm is u(r) at r = 25 … 800 (two cells of 25 replicates each, pooled),
    /// the synthetic arm u(s/4) at s = 200, 400, 800, 1600 (s/4 on the real grid, so the
    /// linear interpolation adds no bias), both with N(0, 0.005²) noise. The rate must be
    /// within 2 % of 4, its bootstrap interval must cover 4, and be narrower than 20 % of
    /// it (so covering is not vacuous). Noise: the SE of a synthetic mean is
    /// 0.005/√50 = 7·10⁻⁴; with du/dr = 1/(50(1 + r/50)²) ≥ 2·10⁻⁴ at r ≤ 400, an r* error
    /// of 4 SE is ≤ 14 points at r = 400 (3.5 %) and far less at small r; the 2 % bound
    /// holds for this seed, and the interval carries the rest.
    @Test func recoversAKnownRate() throws {
        let stream = RandomStream(key: StreamKey(seed: 17, cell: 4, replicate: 0))
        let sd = 0.005, k = 4.0
        let real = [25, 50, 100, 200, 400, 800].map { r in
            ExchangeRate.Group(size: r, cells: [Self.noisy(Self.u(Double(r)), count: 25, sd: sd, stream: stream),
                                                Self.noisy(Self.u(Double(r)), count: 25, sd: sd, stream: stream)])
        }
        let synthetic = [200, 400, 800, 1600].map { s in
            ExchangeRate.Group(size: s, cells: [Self.noisy(Self.u(Double(s) / k), count: 50, sd: sd, stream: stream)])
        }
        let result = try ExchangeRate.analyze(real: real, synthetic: [ExchangeRate.SyntheticArm(realSetSize: 100, groups: synthetic)])
        #expect(result.real.map(\.size) == [25, 50, 100, 200, 400, 800])
        #expect(result.real.allSatisfy { $0.replicates == 50 })
        #expect(result.synthetic.map(\.size) == [200, 400, 800, 1600])
        for p in result.synthetic {
            let rate = try #require(p.rate, "s = \(p.size): \(p.note)")
            let low = try #require(p.rateLow), high = try #require(p.rateHigh)
            #expect(abs(rate - k) < 0.02 * k, "s = \(p.size): rate \(rate)")
            #expect(low <= k && k <= high, "s = \(p.size): [\(low), \(high)]")
            #expect(high - low < 0.2 * k, "s = \(p.size): [\(low), \(high)]")
            #expect(low <= rate && rate <= high)
            #expect(p.note.isEmpty)
            #expect(abs(p.equivalentRealSize! - Double(p.size) / k) < 0.02 * Double(p.size) / k)
        }
        // The same seed gives the same interval.
        let again = try ExchangeRate.analyze(real: real, synthetic: [ExchangeRate.SyntheticArm(realSetSize: 100, groups: synthetic)])
        #expect(again == result)
    }

    /// A loss (lower is better) falling with r: with `lowerIsBetter` the curve is fitted
    /// non-increasing and the rate is the same as for the utility 1 − loss.
    @Test func lowerIsBetterMirrorsTheUtility() throws {
        let stream = RandomStream(key: StreamKey(seed: 3, cell: 1, replicate: 0))
        let real = [25, 50, 100, 200].map { ExchangeRate.Group(size: $0, cells: [Self.noisy(Self.u(Double($0)), count: 20, sd: 0.01, stream: stream)]) }
        let synth = [ExchangeRate.Group(size: 200, cells: [Self.noisy(Self.u(50), count: 20, sd: 0.01, stream: stream)])]
        let flip = { (g: ExchangeRate.Group) in ExchangeRate.Group(size: g.size, cells: g.cells.map { $0.map { 1 - $0 } }) }
        let a = try ExchangeRate.analyze(real: real, synthetic: [.init(realSetSize: 10, groups: synth)])
        let b = try ExchangeRate.analyze(real: real.map(flip), synthetic: [.init(realSetSize: 10, groups: synth.map(flip))],
                                         options: .init(lowerIsBetter: true))
        #expect(abs(a.synthetic[0].rate! - b.synthetic[0].rate!) < 1e-9)
        #expect(abs(a.synthetic[0].rateLow! - b.synthetic[0].rateLow!) < 1e-9)
        #expect(zip(a.real, b.real).allSatisfy { abs($0.fitted - (1 - $1.fitted)) < 1e-12 })
    }

    /// Outside the real curve's range r* is not identified, and the note says which side;
    /// a synthetic utility at the curve's maximum is identified (r* = r_max), but about
    /// half its resamples fall above, so its lower end is not identified.
    @Test func outsideTheRealCurveIsNotIdentified() throws {
        let stream = RandomStream(key: StreamKey(seed: 5, cell: 2, replicate: 0))
        let top = Self.noisy(Self.u(400), count: 30, sd: 0.01, stream: stream)
        let real = [50, 100, 200].map { ExchangeRate.Group(size: $0, cells: [Self.noisy(Self.u(Double($0)), count: 30, sd: 0.01, stream: stream)]) }
            + [ExchangeRate.Group(size: 400, cells: [top])]
        let synth = [ExchangeRate.Group(size: 10, cells: [[0.1, 0.12, 0.11]]),      // far below u(50) = 0.5
                     ExchangeRate.Group(size: 20, cells: [[0.99, 0.98, 0.97]]),     // far above u(400) ≈ 0.89
                     ExchangeRate.Group(size: 30, cells: [top]),                    // exactly the curve's top
                     ExchangeRate.Group(size: 40, cells: [[.nan]])]
        let result = try ExchangeRate.analyze(real: real, synthetic: [.init(realSetSize: 50, groups: synth)])
        let p = result.synthetic
        #expect(p[0].rate == nil && p[0].equivalentRealSize == nil && p[0].note.hasPrefix("not identified") && p[0].note.contains("worse"))
        #expect(p[1].rate == nil && p[1].note.hasPrefix("not identified") && p[1].note.contains("better"))
        #expect(p[2].equivalentRealSize == 400)
        #expect(p[2].rateLow == nil && p[2].rateHigh != nil)
        #expect(p[2].note.hasPrefix("rate_low not identified"))
        #expect(p[3].replicates == 0 && p[3].rate == nil && p[3].note == "no finite values")
    }

    /// Fewer than two real sizes with finite values is an error that says what is needed.
    @Test func fewerThanTwoRealSizesIsAnError() {
        let real = [ExchangeRate.Group(size: 50, cells: [[0.5, 0.6]]), ExchangeRate.Group(size: 100, cells: [[.nan]])]
        #expect(throws: AnalysisError.tooFewRealSizes(metric: "trtr_accuracy", sizes: [50])) {
            try ExchangeRate.analyze(real: real, synthetic: [], metric: "trtr_accuracy")
        }
        #expect(AnalysisError.tooFewRealSizes(metric: "trtr_accuracy", sizes: [50]).description.contains("needs at least two"))
    }

    // MARK: Parity

    /// Shares 0 … 1 with means 0.6, 0.8, 0.895, 0.905, 0.9 (each from two replicates
    /// m ± 0.02): with tolerance 0.01, shares 0.5, 0.75 and 1 are within (0.895 ≥ 0.89),
    /// 0.25 is not, so the parity share is 0.5; with tolerance 0.001 it is 0.75 (better
    /// than 100 % real counts). SE = sd/√2 = 0.02·√2/√2 = 0.02.
    @Test func parityOnAConstructedCurve() throws {
        let means = [0.6, 0.8, 0.895, 0.905, 0.9]
        let groups = zip([0, 0.25, 0.5, 0.75, 1.0], means).map { Parity.Group(share: $0, cells: [[$1 - 0.02, $1 + 0.02]]) }
        let result = try Parity.analyze(groups.reversed(), tolerance: 0.01)
        #expect(result.points.map(\.share) == [0, 0.25, 0.5, 0.75, 1])
        #expect(result.points.map(\.withinTolerance) == [false, false, true, true, true])
        #expect(result.points.map(\.isParity) == [false, false, true, false, false])
        #expect(result.parityShare == 0.5)
        #expect(abs(result.reference - 0.9) < 1e-12)
        #expect(result.points.allSatisfy { abs($0.se - 0.02) < 1e-12 && $0.replicates == 2 })
        #expect(abs(result.points[1].difference - (-0.1)) < 1e-12)
        #expect(try Parity.analyze(groups, tolerance: 0.001).parityShare == 0.75)
        // A loss: 1 − mean; parity means at most tolerance above 100 % real.
        let loss = groups.map { Parity.Group(share: $0.share, cells: $0.cells.map { $0.map { 1 - $0 } }) }
        #expect(try Parity.analyze(loss, tolerance: 0.01, lowerIsBetter: true).parityShare == 0.5)
    }

    @Test func parityNeedsTheReference() {
        let groups = [Parity.Group(share: 0, cells: [[0.5]]), Parity.Group(share: 0.5, cells: [[0.7]])]
        #expect(throws: AnalysisError.referenceMissing(shares: [0, 0.5])) { try Parity.analyze(groups, tolerance: 0.01) }
    }
}
