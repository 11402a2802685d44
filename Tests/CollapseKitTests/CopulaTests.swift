import Foundation
import Testing
@testable import CollapseKit

/// The Gaussian copula family (``CopulaFamily``) against the Gaussian it reduces to, known
/// category frequencies and correlations, and its config errors.
struct CopulaTests {
    static let covariance = SymmetricMatrix(dimension: 3, values: [4, 1.2, -0.6,
                                                                   1.2, 1, 0.3,
                                                                   -0.6, 0.3, 2.25])
    static let normalReal = "real: { distribution: normal, mean: [1, -2, 0.5], covariance: [[4, 1.2, -0.6], [1.2, 1, 0.3], [-0.6, 0.3, 2.25]] }"

    /// With `marginals: normal` the scores are (x − μ̂)/σ̂, so R is the Pearson
    /// correlation and the copula is N(μ̂, D R D) = the MLE Gaussian (Σ̂ ÷ n), up to
    /// rounding.
    @Test func normalMarginalsGiveTheMLEGaussian() throws {
        let stream = RandomStream(key: StreamKey(seed: 7, cell: 0, replicate: 0))
        let normal = try #require(NormalDistribution(mean: [1, -2, 0.5], covariance: Self.covariance))
        let points = Dataset(values: normal.sample(count: 200, stream: stream), dimension: 3)
        let family = CopulaFamily(schema: .numeric(dimension: 3), source: .distribution(normal), marginals: .normal,
                                  temperature: 1)
        let model = family.fit(MixedTable(rowMajor: points.values, dimension: 3), stream: stream)
        #expect(model.events.isEmpty)
        let (mean, cov) = points.meanAndCovariance(ddof: 0)
        for a in 0..<3 {
            guard case .normal(let m, let sd) = model.marginals[a] else { Issue.record("not normal"); return }
            #expect(abs(m - mean[a]) <= 1e-12 * max(1, abs(mean[a])))
            for b in 0..<3 {
                guard case .normal(_, let sdB) = model.marginals[b] else { return }
                let implied = model.correlation[a, b] * sd * sdB
                #expect(abs(implied - cov[a, b]) <= 1e-12 * cov[a, a], "Σ[\(a),\(b)]: \(implied) vs \(cov[a, b])")
            }
        }
    }

    /// Each marginal is refitted by maximum likelihood on the previous batch, so per
    /// column E[σ²_t] = σ²((n−1)/n)^(t+1) (Shumailov et al. 2024, the Gaussian's recursion,
    /// whatever R is); the batch's unbiased variance over the held-out one estimates
    /// σ²_t/σ² (the held-out sample of 20,000 rows adds a relative bias of about 2/20,000).
    @Test func varianceRatioFollowsTheGaussianRecursion() throws {
        let n = 10
        let cell = try TestRun.run("""
            replicates: 400
            generations: 8
            samples: \(n)
            heldout: 20000
            model: { family: copula, marginals: normal }
            \(Self.normalReal)
            policy: { kind: replace }
            metrics: [variance_ratio]
            """)
        for t in [0, 2, 5, 8] {
            let mc = MonteCarlo(TestRun.values(cell, .varianceRatio, generation: t))
            let theory = pow(Double(n - 1) / Double(n), Double(t + 1))
            #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
        }
    }

    /// A table of 20,000 rows: (x, y) bivariate normal with ρ = 0.8 and a category with
    /// frequencies 0.5, 0.3, 0.15, 0.05 (exact, by row index).
    static func mixedTable() -> MixedTable {
        let stream = RandomStream(key: StreamKey(seed: 11, cell: 0, replicate: 0))
        let rows = 20_000
        var x: [Double] = [], y: [Double] = [], g: [Int32] = []
        let rho = 0.8
        for i in 0..<rows {
            let a = stream.standardNormal(), b = stream.standardNormal()
            x.append(3 + 2 * a)
            y.append(-1 + rho * a + (1 - rho * rho).squareRoot() * b)
            let k = i % 20
            g.append(k < 10 ? 0 : k < 16 ? 1 : k < 19 ? 2 : 3)
        }
        let schema = TableSchema(columns: [.init(name: "x", type: .numeric), .init(name: "g", type: .categorical, levels: ["a", "b", "c", "d"]),
                                           .init(name: "y", type: .numeric)])
        return MixedTable(schema: schema, numeric: [x, y], categorical: [g])
    }

    /// The sampled categories follow the training frequencies (the frequency encoding
    /// inverted): Pearson's χ² with K − 1 = 3 degrees of freedom, p > 0.001 at a fixed seed.
    @Test func categoryFrequenciesAreReproduced() {
        let table = Self.mixedTable()
        let family = CopulaFamily(schema: table.schema, source: .table(table), marginals: .empirical, temperature: 1)
        let stream = RandomStream(key: StreamKey(seed: 3, cell: 0, replicate: 0))
        let pool = family.makeTruth(requested: [], stream: stream)
        let training = family.drawReal(2000, truth: pool, stream: stream)
        let model = family.fit(training, stream: stream)
        let p = model.frequencies[0]
        #expect(abs(p.reduce(0, +) - 1) < 1e-12)
        let m = 20_000
        let batch = family.sample(model, count: m, truth: pool, stream: stream)
        var counts = [Double](repeating: 0, count: 4)
        for c in batch.categorical[0] { counts[Int(c)] += 1 }
        let chi2 = (0..<4).reduce(0.0) { $0 + pow(counts[$1] - Double(m) * p[$1], 2) / (Double(m) * p[$1]) }
        let pValue = Probability.chiSquaredUpper(chi2, dof: 3)
        #expect(pValue > 0.001, "χ² = \(chi2), p = \(pValue), counts \(counts), p̂ \(p)")
    }

    /// Generation 0's batch keeps the file's correlation: over 200 chains (R₀ = 1,000 rows,
    /// batch 1,000), the mean Pearson ρ of (x, y) is the file's ρ within 4 SE.
    @Test func correlationIsRecoveredAtGenerationZero() {
        let table = Self.mixedTable()
        let target = TableMetrics.correlations(table)[0]!
        #expect(abs(target - 0.8) < 0.01)
        let family = CopulaFamily(schema: table.schema, source: .table(table), marginals: .empirical, temperature: 1)
        var rhos: [Double] = []
        for r in 0..<200 {
            let stream = RandomStream(key: StreamKey(seed: 5, cell: 0, replicate: UInt64(r)))
            let pool = family.makeTruth(requested: [], stream: stream)
            let model = family.fit(family.drawReal(1000, truth: pool, stream: stream), stream: stream)
            rhos.append(TableMetrics.correlations(family.sample(model, count: 1000, truth: pool, stream: stream))[0]!)
        }
        let mc = MonteCarlo(rhos)
        #expect(mc.agrees(with: target), "\(mc.mean) ± \(mc.standardError) vs \(target)")
    }

    /// λ scales R's off-diagonal: R_λ = λR + (1 − λ)I, so the batch's normal-score
    /// correlation is λ·ρ (here λ = 0.5 on ρ = 0.8, 50,000 rows: SE ≈ 0.004).
    @Test func temperatureScalesTheDependence() {
        let table = Self.mixedTable()
        let family = CopulaFamily(schema: table.schema, source: .table(table), marginals: .normal, temperature: 0.5)
        let stream = RandomStream(key: StreamKey(seed: 9, cell: 0, replicate: 0))
        let model = family.fit(table, stream: stream)
        let batch = family.sample(model, count: 50_000, truth: nil, stream: stream)
        let rho = TableMetrics.correlations(batch)[0]!
        #expect(abs(rho - 0.5 * model.correlation[0, 2]) < 0.016, "\(rho) vs \(0.5 * model.correlation[0, 2])")
    }

    /// Empirical marginals stay inside the training range and keep its atoms; a
    /// category absent from the training set is never generated.
    @Test func empiricalMarginalsNeverLeaveTheTrainingRange() {
        let schema = TableSchema(columns: [.init(name: "x", type: .numeric), .init(name: "g", type: .categorical, levels: ["a", "b", "c"])])
        let x: [Double] = [0, 0, 0, 0, 1, 2, 3, 5, 8, 13]
        let g: [Int32] = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]  // level c absent
        let training = MixedTable(schema: schema, numeric: [x], categorical: [g])
        let family = CopulaFamily(schema: schema, source: .table(training), marginals: .empirical, temperature: 1)
        let stream = RandomStream(key: StreamKey(seed: 1, cell: 0, replicate: 0))
        let model = family.fit(training, stream: stream)
        let batch = family.sample(model, count: 5000, truth: nil, stream: stream)
        #expect(batch.numeric[0].allSatisfy { $0 >= 0 && $0 <= 13 })
        // The atom at 0 (mass 0.4) keeps about its mass: u < 0.35 maps to exactly 0.
        let zeros = Double(batch.numeric[0].count { $0 == 0 }) / 5000
        #expect(abs(zeros - 0.35) < 4 * (0.35 * 0.65 / 5000).squareRoot(), "\(zeros)")
        #expect(!batch.categorical[0].contains(2))
        // Mid-rank scores: the tie group {0 ×4} sits at F̂ = 0.2, the value 13 at 0.95.
        let scores = CopulaMarginal.midRankScores(x)
        #expect(abs(scores[0] - Probability.normalQuantile(0.2)) < 1e-15)
        #expect(abs(scores[9] - Probability.normalQuantile(0.95)) < 1e-15)
        #expect(CopulaMarginal.interpolatedQuantile(0.5, sorted: x) == 1.5)
    }

    /// The kde marginal's quantile inverts its CDF, and its bandwidth is Scott's.
    @Test func kernelMarginalInvertsItsCDF() {
        let x: [Double] = [-1.5, -0.2, 0, 0.1, 0.7, 2.4, 3.3]
        let k = KernelMarginal(x)
        let m = x.reduce(0, +) / 7
        let sd = (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 6).squareRoot()
        #expect(abs(k.bandwidth - sd * pow(7, -0.2)) < 1e-15)
        for u in [1e-6, 0.01, 0.3, 0.5, 0.77, 0.999] {
            #expect(abs(k.cdf(k.quantile(u)) - u) < 1e-11, "u = \(u)")
        }
    }

    /// A constant column makes R singular: the fit records `singular_covariance`,
    /// repairs R (unit diagonal, positive definite) and samples without trapping.
    @Test func singularCorrelationIsRepairedAndRecorded() throws {
        let schema = TableSchema.numeric(dimension: 3)
        let training = MixedTable(schema: schema, numeric: [[1, 2, 3, 4], [2, 4, 6, 8], [5, 5, 5, 5]], categorical: [])
        let family = CopulaFamily(schema: schema, source: .table(training), marginals: .empirical, temperature: 1)
        let stream = RandomStream(key: StreamKey(seed: 1, cell: 0, replicate: 0))
        let model = family.fit(training, stream: stream)
        #expect(family.diagnose(model) == [.singularCovariance])
        #expect((0..<3).allSatisfy { model.correlation[$0, $0] == 1 })
        #expect(model.correlation.cholesky() != nil)
        let batch = family.sample(model, count: 100, truth: nil, stream: stream)
        #expect(batch.numeric[2].allSatisfy { $0 == 5 })
        #expect(batch.numeric[0].allSatisfy { $0.isFinite })
    }

    /// Bad configs name the field, the value and what is allowed.
    @Test func badConfigsNameTheField() throws {
        let oneD = TestRun.configErrors("model: { family: copula }\nreal: { distribution: normal, mean: 0, sd: 1 }\n")
        #expect(oneD.contains { $0.contains("real.mean") && $0.contains("d ≥ 2") }, "\(oneD)")
        let marginals = TestRun.configErrors("model: { family: copula, marginals: beta }\n\(Self.normalReal)\n")
        #expect(marginals.contains { $0.contains("model.marginals") && $0.contains("empirical, normal, kde") }, "\(marginals)")
        let discrete = TestRun.configErrors("model: { family: copula }\nreal: { distribution: uniform, categories: 3 }\n")
        #expect(discrete.contains { $0.contains("real.distribution") && $0.contains("normal, table") }, "\(discrete)")
        let wrongMetric = TestRun.configErrors("model: { family: copula }\n\(Self.normalReal)\nmetrics: [tv_complement]\n")
        #expect(wrongMetric.contains { $0.contains("metrics[0]") && $0.contains("needs a categorical column") }, "\(wrongMetric)")
        let foreign = TestRun.configErrors("model: { family: gaussian, marginals: normal }\n")
        #expect(foreign.contains { $0.contains("marginals") && $0.contains("model.family copula") }, "\(foreign)")
    }

    /// A table column the copula cannot model (an identifier: a distinct category per
    /// row) and a text file are config errors naming `real.columns` and `real.distribution`.
    @Test func badTablesAndTextAreRefused() throws {
        try withDataFolder { folder in
            try folder.write("t.csv", "id,x,g\n" + (0..<40).map { "r\($0),\($0 % 7),\($0 % 3 == 0 ? "a" : "b")" }.joined(separator: "\n") + "\n")
            try folder.write("words.txt", "one two three\nfour five\n")
            let id = folder.errors("samples: 10\nmodel: { family: copula }\nreal: { distribution: table, file: t.csv }\n")
            #expect(id.contains { $0.contains("real.columns") && $0.contains("categorical column id with 40 distinct values in 40 rows") }, "\(id)")
            let one = folder.errors("samples: 10\nmodel: { family: copula }\nreal: { distribution: table, file: t.csv, columns: [x] }\n")
            #expect(one.contains { $0.contains("real.columns") && $0.contains("at least two columns") }, "\(one)")
            let text = folder.errors("samples: 3\nmodel: { family: copula }\nreal: { distribution: text, file: words.txt }\n")
            #expect(text.contains { $0.contains("real.distribution") && $0.contains("'text' with model.family copula") }, "\(text)")
            #expect(folder.errors("samples: 10\nheldout: 5\nmodel: { family: copula }\nreal: { distribution: table, file: t.csv, columns: [x, g] }\n").isEmpty)
        }
    }
}

/// The table metrics against independent computations on fixed small tables: by hand,
/// and (when python3 has numpy and scipy) against `scipy.stats.ks_2samp` and numpy.
struct TableMetricsTests {
    static let schema = TableSchema(columns: [
        .init(name: "u", type: .numeric), .init(name: "c", type: .categorical, levels: ["p", "q", "r"]),
        .init(name: "v", type: .numeric), .init(name: "e", type: .categorical, levels: ["s", "t"]),
    ])
    static let realU: [Double] = [1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]
    static let realV: [Double] = [0.5, 1.5, 1, 3, 2, 6, 5, 8, 7, 9, 12, 10]
    static let realC: [Int32] = [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 0, 1]
    static let realE: [Int32] = [0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0]
    static let synthU: [Double] = [2, 2, 3, 3, 5, 6, 6, 8, 9, 11]
    static let synthV: [Double] = [1, 3, 2, 2, 7, 6, 4, 9, 8, 8]
    static let synthC: [Int32] = [0, 0, 0, 1, 1, 1, 1, 0, 0, 1]
    static let synthE: [Int32] = [0, 0, 0, 1, 1, 1, 0, 1, 0, 0]
    static var real: MixedTable { MixedTable(schema: schema, numeric: [realU, realV], categorical: [realC, realE]) }
    static var synth: MixedTable { MixedTable(schema: schema, numeric: [synthU, synthV], categorical: [synthC, synthE]) }

    /// Values worked out by hand (see each comment).
    @Test func handComputedValues() {
        // KS with ties: sup over the merged support z of |F_real(z) − F_synth(z)|, the
        // definition evaluated at every value (O(n²), independent of the merge walk).
        func ks(_ a: [Double], _ b: [Double]) -> Double {
            let support = Set(a + b)
            return support.map { z in abs(Double(a.count { $0 <= z }) / Double(a.count) - Double(b.count { $0 <= z }) / Double(b.count)) }.max()!
        }
        #expect(abs(TableMetrics.kolmogorovSmirnov(Self.realU, Self.synthU) - ks(Self.realU, Self.synthU)) < 1e-15)
        #expect(abs(TableMetrics.kolmogorovSmirnov(Self.realV.sorted(), Self.synthV.sorted()) - ks(Self.realV, Self.synthV)) < 1e-15)
        // c: real (6/12, 5/12, 1/12), synth (5/10, 5/10, 0): TV = ½(0 + 1/12 + 1/12) = 1/12.
        // e: real (6/12, 6/12), synth (6/10, 4/10): TV = 1/10.
        #expect(abs(TableMetrics.tvComplement(real: Self.real, synthetic: Self.synth) - (1 - (1.0 / 12 + 0.1) / 2)) < 1e-15)
        // Rare categories (< 1 %) in 12 rows: none, so NaN; in a 200-row real table with
        // level r once (0.5 %) and absent from the batch: 1 of 1 lost.
        #expect(TableMetrics.rareCategoryLoss(real: Self.real, synthetic: Self.synth).isNaN)
        // Range: u real [1, 12], synth [2, 11]: 9/11; v real [0.5, 12], synth [1, 9]: 8/11.5.
        #expect(abs(TableMetrics.rangeCoverage(real: Self.real, synthetic: Self.synth) - (9.0 / 11 + 8 / 11.5) / 2) < 1e-15)
        let big = MixedTable(schema: Self.schema, numeric: [Array(repeating: 1, count: 199) + [2], (0..<200).map(Double.init)],
                             categorical: [Array(repeating: 0, count: 199) + [2], Array(repeating: 0, count: 200)])
        #expect(TableMetrics.rareCategoryLoss(real: big, synthetic: Self.synth) == 1)
        #expect(TableMetrics.rareCategoryLoss(real: big, synthetic: Self.real) == 0)
    }

    /// Every metric against numpy / scipy on the same tables, to 1e-12.
    @Test(.enabled(if: ScientificPython.available, "python3 cannot import numpy and scipy"))
    func metricsMatchNumpyAndScipy() throws {
        func list(_ x: [Double]) -> String { "[" + x.map { "\($0)" }.joined(separator: ",") + "]" }
        func codes(_ x: [Int32]) -> String { "[" + x.map(String.init).joined(separator: ",") + "]" }
        let script = """
            import numpy as np, scipy.stats as st
            ru, rv, rc, re = np.array(\(list(Self.realU))), np.array(\(list(Self.realV))), np.array(\(codes(Self.realC))), np.array(\(codes(Self.realE)))
            su, sv, sc, se = np.array(\(list(Self.synthU))), np.array(\(list(Self.synthV))), np.array(\(codes(Self.synthC))), np.array(\(codes(Self.synthE)))
            ks = np.mean([1 - st.ks_2samp(ru, su).statistic, 1 - st.ks_2samp(rv, sv).statistic])
            def freq(x, k): return np.bincount(x, minlength=k) / len(x)
            tv = np.mean([1 - 0.5 * np.abs(freq(rc, 3) - freq(sc, 3)).sum(), 1 - 0.5 * np.abs(freq(re, 2) - freq(se, 2)).sum()])
            corr = 1 - abs(np.corrcoef(ru, rv)[0, 1] - np.corrcoef(su, sv)[0, 1]) / 2
            def table(a, b): 
                t = np.zeros((3, 2)); np.add.at(t, (a, b), 1); return t / len(a)
            cont = 1 - 0.5 * np.abs(table(rc, re) - table(sc, se)).sum()
            def cover(r, s): return max(min(r.max(), s.max()) - max(r.min(), s.min()), 0) / (r.max() - r.min())
            rng = np.mean([cover(ru, su), cover(rv, sv)])
            var = np.mean([np.var(su, ddof=1) / np.var(ru, ddof=1), np.var(sv, ddof=1) / np.var(rv, ddof=1)])
            print(*[repr(float(x)) for x in (ks, tv, corr, cont, rng, var)])
            """
        let out = try ScientificPython.run(script)
        try #require(out.status == 0, "python3: \(out.output)\(out.errors)")
        let expected = out.output.split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        let r = Self.real, s = Self.synth
        let mine = [TableMetrics.ksComplement(real: r, synthetic: s), TableMetrics.tvComplement(real: r, synthetic: s),
                    TableMetrics.correlationSimilarity(real: r, synthetic: s), TableMetrics.contingencySimilarity(real: r, synthetic: s),
                    TableMetrics.rangeCoverage(real: r, synthetic: s), TableMetrics.varianceRatio(real: r, synthetic: s)]
        for (name, (a, b)) in zip(["ks", "tv", "corr", "contingency", "range", "variance"], zip(mine, expected)) {
            #expect(abs(a - b) < 1e-12, "\(name): \(a) vs numpy \(b)")
        }
    }

    /// The metrics through a chain: on the `normal` real data a table of numeric columns
    /// offers exactly the numeric metrics, and the held-out sample is drawn.
    @Test func numericTableOffersTheNumericMetrics() throws {
        let config = try TestRun.config("model: { family: copula }\n\(CopulaTests.normalReal)\n")
        #expect(config.metrics == [.correlationSimilarity, .ksComplement, .rangeCoverage, .varianceRatio])
        #expect(config.heldout == 1000)
    }
}

/// python3 with numpy and scipy, for the metric cross-checks.
enum ScientificPython {
    static let available: Bool = (try? run("import numpy, scipy.stats").status) == 0

    static func run(_ script: String) throws -> (status: Int32, output: String, errors: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}
