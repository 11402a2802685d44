import Foundation
import Testing
@testable import CollapseKit

/// `collapse theory`'s predictions at hand-checked points, and which configurations
/// get a curve at all.
struct TheoryTests {
    func curve(_ yaml: String, _ metric: MetricName) throws -> [Double]? {
        try Theory.curves(for: TestRun.config(yaml)).first { $0.metric == metric }?.values
    }

    @Test func replaceMLEIsShumailovsGeometricDecay() throws {
        let v = try #require(try curve("samples: 100\ngenerations: 100", .variance))
        #expect(v.count == 101)
        #expect(v[0] == 0.99)
        #expect(abs(v[100] - pow(0.99, 101)) < 1e-15)
        // σ₀² = 4, λ = 0.5, n = 10, t = 2: 4 · 0.25 · 0.9³ = 0.729.
        let w = try #require(try curve("""
            samples: 10
            generations: 2
            real: { sd: 2 }
            sampling: { temperature: 0.5 }
            """, .variance))
        #expect(abs(w[2] - 0.729) < 1e-15)
        let ratio = try #require(try curve("samples: 10\ngenerations: 2\nreal: { sd: 2 }", .varianceRatio))
        #expect(abs(ratio[1] - 0.81) < 1e-15)
    }

    @Test func unbiasedVarianceIsAMartingaleScaledByTemperature() throws {
        let v = try #require(try curve("""
            generations: 3
            model: { estimator: unbiased }
            real: { distribution: student_t, dof: 4 }
            sampling: { temperature: 0.9 }
            """, .variance))
        // Student-t(4) has variance 4/(4 − 2) = 2.
        #expect(zip(v, [2, 1.8, 1.62, 1.458]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func traceInTwoDimensions() throws {
        let v = try #require(try curve("samples: 4\ngenerations: 1\nreal: { mean: [0, 0], sd: [1, 2] }", .trace))
        #expect(abs(v[1] - 5 * 0.5625) < 1e-15)
        #expect(try curve("samples: 4\ngenerations: 1\nreal: { mean: [0, 0], sd: [1, 2] }", .variance) == nil)
    }

    /// n = 2 with one fresh real and one synthetic point: V₀ = D₀ = ½, and the
    /// recursion D₁ = (1 + ½ + ½)/4 = ½, V₁ = [(½)(1 + ½) + (½)(½)]/2 = ½ stays put.
    @Test func freshMixRecursionByHand() throws {
        let v = try #require(try curve("""
            samples: 2
            generations: 3
            policy: { kind: mix, real_fraction: 0.5, real_source: fresh }
            """, .variance))
        #expect(v.allSatisfy { abs($0 - 0.5) < 1e-15 })
    }

    @Test func noCurveWhereNoClosedFormHolds() throws {
        #expect(try curve("policy: { kind: accumulate }", .variance) == nil)
        #expect(try curve("policy: { kind: mix, real_fraction: 0.5 }", .variance) == nil, "fixed real data")
        #expect(try curve("metrics: [w2]", .variance) == nil, "not requested")
    }

    @Test func csvLayout() throws {
        let config = try TestRun.config("samples: 10\ngenerations: 1\nmetrics: [variance, mean]")
        let csv = TheoryTable.csv([Cell(parameters: [:], config: config)])
        #expect(csv == """
            cell,generation,metric,value
            08f44b07b5901a25,0,mean,0
            08f44b07b5901a25,0,variance,0.9
            08f44b07b5901a25,1,mean,0
            08f44b07b5901a25,1,variance,0.81

            """)
    }
}
