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
        expectElementwise(v, [2, 1.8, 1.62, 1.458], within: 1e-12)
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

    /// p = (½, ½), n = 2: H = ½, E[H_t] = ½^(t+1)·½; a category is missing with
    /// probability ¼, so E[support₀] = 1.5 and E[lost_mass₀] = ¼.
    @Test func categoricalWrightFisherAndOccupancy() throws {
        let replace = """
            samples: 2
            generations: 2
            model: { family: categorical }
            real: { distribution: uniform, categories: 2 }
            """
        let h = try #require(try curve(replace, .heterozygosity))
        #expect(h == [0.25, 0.125, 0.0625])
        #expect(try curve(replace, .supportSize) == [1.5])
        #expect(try curve(replace, .lostMass) == [0.25])
        let accumulate = replace + "\npolicy: { kind: accumulate }"
        #expect(try curve(accumulate, .supportSize) == [1.5, 1.5, 1.5], "accumulate keeps generation 0's support")
        #expect(try curve(accumulate, .heterozygosity) == [0.25])
        #expect(try curve(replace + "\nsampling: { top_k: 1 }", .supportSize) == nil, "biased sampling")
        #expect(try curve(replace.replacingOccurrences(of: "categorical }", with: "categorical, smoothing: 1 }"),
                          .heterozygosity) == nil, "smoothing")
    }

    /// d = 2, n = 5, σ = 1: one fit adds σ²d/(n − d − 1) = 1. E[σ̂] with 3 residual degrees
    /// of freedom is √(2/3) Γ(2)/Γ(3/2) = 0.92131773192356 (scipy).
    @Test func regressionReplaceAndAccumulate() throws {
        let base = """
            samples: 5
            generations: 2
            model: { family: linear_regression }
            real: { distribution: linear, dimension: 2 }
            """
        let replace = try #require(try curve(base, .testError))
        expectElementwise(replace, [1.0, 2, 3], within: 1e-12)
        let hot = try #require(try curve(base + "\nsampling: { temperature: 4 }", .testError))
        expectElementwise(hot, [1.0, 5, 9], within: 1e-12)
        let noise = try #require(try curve(base + "\nsampling: { temperature: 4 }", .noiseEstimate))
        #expect(abs(noise[0] - 0.92131773192356) < 1e-12 && abs(noise[2] - 2 * 0.92131773192356) < 1e-12)
        let accumulate = try #require(try curve(base + "\npolicy: { kind: accumulate }", .testError))
        expectElementwise(accumulate, [1.0, 1.25, 1.25 + 1.0 / 9], within: 1e-12)
        #expect(try curve(base.replacingOccurrences(of: "regression }", with: "regression, design: fresh }")
                          + "\npolicy: { kind: accumulate }", .testError) == nil)
        #expect(try curve(base.replacingOccurrences(of: "samples: 5", with: "samples: 3"), .testError) == nil,
                "n ≤ d + 1: the inverse-Wishart mean is infinite")
    }

    /// n = 20, σ₀² = 1, a = 0.95. Fixed h = 0.3: 0.95 + 0.09 = 1.04, then
    /// 0.95·(0.95 + 0.09) + 0.09 = 1.078; with τ = 0.5 the second is
    /// 0.95·(0.95 + 0.25·0.09) + 0.09 = 1.013875. Scott: c = 20^(−2/5), a·g =
    /// 0.95·(1 + c·20/19) = 1.2517088 per generation (Silverman: 1.2885038).
    @Test func kernelDensityVarianceUnderReplace() throws {
        let base = "samples: 20\ngenerations: 1\nmodel: { family: kde, bandwidth: 0.3 }"
        let fixed = try #require(try curve(base, .variance))
        #expect(abs(fixed[0] - 1.04) < 1e-12 && abs(fixed[1] - 1.078) < 1e-12)
        let cool = try #require(try curve(base + "\nsampling: { temperature: 0.5 }", .variance))
        #expect(abs(cool[1] - 1.013875) < 1e-12)
        let scott = try #require(try curve(base.replacingOccurrences(of: "0.3", with: "scott"), .variance))
        let ag = 0.95 * (1 + pow(20, -0.4) * 20 / 19)
        #expect(abs(scott[0] - ag) < 1e-12 && abs(scott[1] - ag * ag) < 1e-12 && abs(ag - 1.2517088) < 1e-7)
        let silverman = try #require(try curve(base.replacingOccurrences(of: "0.3", with: "silverman"), .variance))
        #expect(abs(silverman[0] - 1.2885038) < 1e-7)
        #expect(try curve(base + "\npolicy: { kind: accumulate }", .variance) == nil)
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

    /// Each curve's source states the formula of its own metric: `variance_ratio` gets
    /// E[σ²_t/σ₀²] (not the variance's E[σ²_t] = σ₀²…), `trace` E[tr …], and no two
    /// metrics of one config print the same source.
    @Test(arguments: [
        "samples: 10\ngenerations: 2",
        "samples: 10\ngenerations: 2\nmodel: { estimator: unbiased }",
        "samples: 10\ngenerations: 2\nreal: { mean: [0, 0], sd: [1, 2] }",
        "samples: 10\ngenerations: 2\npolicy: { kind: mix, real_fraction: 0.5, real_source: fresh }",
        "samples: 10\ngenerations: 2\nmodel: { family: kde, bandwidth: 0.3 }",
        "samples: 10\ngenerations: 2\nmodel: { family: kde, bandwidth: 0.3 }\nreal: { mean: [0, 0], sd: [1, 2] }",
        "samples: 10\ngenerations: 2\nmodel: { family: categorical }\nreal: { distribution: zipf, categories: 5 }",
        "samples: 10\ngenerations: 2\nmodel: { family: categorical }\nreal: { distribution: zipf, categories: 5 }\npolicy: { kind: accumulate }",
        "samples: 20\ngenerations: 2\nmodel: { family: linear_regression }\nreal: { distribution: linear, dimension: 3, noise_sd: 1.0 }",
    ])
    func everySourceStatesItsOwnMetricsFormula(_ yaml: String) throws {
        let marks: [MetricName: [String]] = [
            .variance: ["E[σ²_t]"], .trace: ["E[tr Σ_t]", "E[tr Cov q_t]"],
            .varianceRatio: ["E[σ²_t/σ₀²]", "E[tr Σ_t / tr Σ₀]", "E[tr Cov q_t / tr Σ₀]"], .mean: ["E[μ_t]"],
            .supportSize: ["E[support_size₀]"], .lostMass: ["E[lost_mass₀]"], .heterozygosity: ["E[H_t]"],
            .testError: ["E‖ŵ_t − w*‖²"], .noiseEstimate: ["E[σ̂]"],
        ]
        let curves = Theory.curves(for: try TestRun.config(yaml))
        try #require(curves.count >= 2, "\(curves.map(\.metric))")
        for curve in curves {
            let own = try #require(marks[curve.metric], "no mark for \(curve.metric)")
            #expect(own.contains { curve.source.contains($0) }, "\(curve.metric): \(curve.source)")
            if curve.metric == .varianceRatio {
                #expect(!curve.source.contains("E[σ²_t] = σ₀²") && !curve.source.contains("E[tr Σ_t] = "), "\(curve.source)")
            }
        }
        #expect(Set(curves.map(\.source)).count == curves.count, "\(curves.map { "\($0.metric): \($0.source)" })")
    }
}
