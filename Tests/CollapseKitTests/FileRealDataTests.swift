import Foundation
import Testing
@testable import CollapseKit

/// A temporary folder for data files and the configs that read them.
struct DataFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("collapse-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> String {
        let u = url.appendingPathComponent(name)
        try data.write(to: u)
        return u.path
    }

    /// The validated config, relative paths starting in this folder.
    func config(_ yaml: String, overrides: [String] = []) throws -> ExperimentConfig {
        try ConfigLoader.parse(text: yaml, overrides: overrides, baseDirectory: url.path)
    }

    /// The messages of every error of `yaml` (empty when valid).
    func errors(_ yaml: String) -> [String] {
        do {
            _ = try config(yaml)
            return []
        } catch let e as ConfigErrors {
            return e.errors.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }
}

func withDataFolder<T>(_ body: (DataFolder) throws -> T) throws -> T {
    let folder = try DataFolder()
    defer { folder.remove() }
    return try body(folder)
}

/// A CSV of `rows` N(0, 1) draws in column x (written with Swift's shortest
/// round-trip formatting), an id column, and a two-valued group column.
func normalTable(rows: Int, seed: UInt64) -> (text: String, values: [Double]) {
    let stream = RandomStream(key: StreamKey(seed: seed, cell: 0, replicate: 0))
    var values: [Double] = []
    var text = "id,x,group\n"
    for i in 0..<rows {
        let x = stream.standardNormal()
        values.append(x)
        text += "\(i),\(x),\(i % 3 == 0 ? "a" : "b")\n"
    }
    return (text, values)
}

struct CSVReadingTests {
    @Test func quotingLineEndingsAndByteOrderMark() throws {
        try withDataFolder { folder in
            let text = "\u{FEFF}name,note,x\r\n\"Smith, J.\",\"said \"\"hi\"\"\",1.5\r\n\r\nplain,\"two\nlines\",-2e3\r\nlast,,3\r\n"
            let file = try DataFile.decode(Data(text.utf8), path: "t.csv")
            let csv = try CSVTable.parse(file)
            #expect(csv.header == ["name", "note", "x"])
            #expect(csv.columns[0] == ["Smith, J.", "plain", "last"])
            #expect(csv.columns[1] == ["said \"hi\"", "two\nlines", ""])
            #expect(csv.columns[2] == ["1.5", "-2e3", "3"])
            // Line numbers count the blank line and the line break inside quotes.
            #expect(csv.lines == [2, 4, 6])
        }
    }

    @Test func numbersAreDecimalAndLocaleFree() {
        for (cell, value) in [("3", 3.0), (" -0.5 ", -0.5), ("1e-3", 0.001), (".5", 0.5), ("5.", 5), ("+2E+2", 200)] {
            #expect(TableData.number(cell) == value, "\(cell)")
        }
        for cell in ["", "1,5", "nan", "inf", "0x10", "1e", "e5", "1.2.3", "12abc", "--1", "1e400"] {
            #expect(TableData.number(cell) == nil, "\(cell)")
        }
    }

    @Test func columnTypesAreInferredAndOverridden() throws {
        try withDataFolder { folder in
            try folder.write("t.csv", "a,b,c\n1,x,01\n2,y,2\n3,x,3\n")
            let csv = try CSVTable.parse(DataFile.read(folder.url.appendingPathComponent("t.csv").path))
            let file = try DataFile.read(folder.url.appendingPathComponent("t.csv").path)
            let data = try TableData(csv, file: file, names: ["a", "b", "c"], types: ["c": .categorical], missing: .error)
            #expect(data.columns.map(\.type) == [.numeric, .categorical, .categorical])
            #expect(data.columns[1].levels == ["x", "y"] && data.columns[1].codes == [0, 1, 0])
            // The cell's text is the category: "01" stays "01".
            #expect(data.columns[2].levels == ["01", "2", "3"])
        }
    }

    @Test func missingDropCountsTheDroppedRows() throws {
        try withDataFolder { folder in
            try folder.write("t.csv", "a,b,unused\n1,x,\n,y,1\n3,,2\n4,z,\n")
            let config = try folder.config("""
                model: { family: categorical }
                real: { distribution: table, file: t.csv, columns: [b], label: a, missing: drop }
                samples: 2
                generations: 1
                """)
            let spec = try #require(config.real.spec as? TableRealData)
            #expect(spec.data.fileRows == 4 && spec.data.droppedRows == 2 && spec.data.rowCount == 2)
            #expect(config.real.probabilities == [0.5, 0.5])
        }
    }
}

struct RowPoolTests {
    /// Taking every row gives a permutation, and the first row taken is uniform over
    /// the rows (each of 10 rows within 4 standard errors of 1/10 over 20,000 pools).
    @Test func drawsWithoutReplacementUniformly() {
        var first = [Int](repeating: 0, count: 10)
        let replicates = 20_000
        for r in 0..<replicates {
            let stream = RandomStream(key: StreamKey(seed: 11, cell: 0, replicate: UInt64(r)))
            let pool = RowPool(rowCount: 10)
            let rows = pool.take(10, stream: stream)
            if r < 50 { #expect(rows.sorted() == Array(0..<10)) }
            first[rows[0]] += 1
        }
        let se = (0.1 * 0.9 / Double(replicates)).squareRoot()
        for k in 0..<10 { #expect(abs(Double(first[k]) / Double(replicates) - 0.1) < 4 * se, "row \(k)") }
    }
}

struct EmpiricalDistributionTests {
    let file = EmpiricalDistribution(columns: [[1, 1, 2, 2, 3, 4, 5]])

    /// Against scipy 1.17.1's `ks_2samp([0.5, 1, 1, 2, 3.5], [1, 1, 2, 2, 3, 4, 5]).statistic`
    /// = 0.3142857142857143 and `ks_2samp([-1, 0, 0, 2], [0, 1, 1, 1])` = 0.5 (ties on both sides).
    @Test func kolmogorovSmirnovMatchesScipy() {
        #expect(abs(file.kolmogorovSmirnov(sorted: [0.5, 1, 1, 2, 3.5], coordinate: 0) - 0.3142857142857143) < 1e-15)
        let other = EmpiricalDistribution(columns: [[0, 1, 1, 1]])
        #expect(abs(other.kolmogorovSmirnov(sorted: [-1, 0, 0, 2], coordinate: 0) - 0.5) < 1e-15)
    }

    @Test func quantilesAndCDFAreTheFilesEmpiricalOnes() {
        #expect(file.marginalCDF(2, coordinate: 0) == 4.0 / 7)
        #expect(file.marginalCDF(0.9, coordinate: 0) == 0)
        #expect(file.marginalQuantile(0.01, coordinate: 0) == 1)
        #expect(file.marginalQuantile(4.0 / 7, coordinate: 0) == 2)
        #expect(file.marginalQuantile(0.99, coordinate: 0) == 5)
        #expect(abs(file.mean[0] - 18.0 / 7) < 1e-15)
        let values: [Double] = [1, 1, 2, 2, 3, 4, 5]
        let m = 18.0 / 7
        let variance = values.reduce(0.0) { $0 + ($1 - m) * ($1 - m) } / 7
        #expect(abs(file.covariance[0, 0] - variance) < 1e-14)
    }

    /// The closed-form W₂ between N(μ, σ²) and the file's values against a direct
    /// integral of (μ + σΦ⁻¹(u) − F_N⁻¹(u))² over 2·10⁵ midpoints.
    @Test func gaussianW2MatchesNumericalIntegration() throws {
        let real = try RealReference(file)
        let k = try #require(real.gaussianW2CrossTerm)
        for (mu, sigma) in [(2.5, 1.2), (0.0, 0.3), (3.0, 2.0)] {
            let closed = ((mu - real.mean[0]) * (mu - real.mean[0]) + real.covariance[0, 0] + sigma * sigma - 2 * sigma * k)
                .squareRoot()
            let m = 200_000
            var sum = 0.0
            for i in 0..<m {
                let u = (Double(i) + 0.5) / Double(m)
                let e = mu + sigma * Probability.normalQuantile(u) - file.marginalQuantile(u, coordinate: 0)
                sum += e * e
            }
            #expect(abs(closed - (sum / Double(m)).squareRoot()) < 1e-3, "μ=\(mu) σ=\(sigma)")
        }
    }
}

struct FileRealDataTests {
    /// Gaussian, mle, replace on a file of 10⁵ N(0, 1) draws: E[σ²_t] = s²((n−1)/n)^(t+1),
    /// s² the file's variance (÷(N − 1): R₀ is drawn without replacement), within 4 SE.
    @Test func gaussianClosedFormHoldsOnAFile() throws {
        try withDataFolder { folder in
            let (text, values) = normalTable(rows: 100_000, seed: 3)
            try folder.write("normal.csv", text)
            let config = try folder.config("""
                replicates: 2000
                generations: 10
                samples: 20
                model: { family: gaussian, estimator: mle }
                real: { distribution: table, file: normal.csv, columns: [x] }
                metrics: [variance, variance_ratio]
                """)
            let m = values.reduce(0, +) / Double(values.count)
            let s2 = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
            let cell = TestRun.run(config)
            for t in [0, 3, 10] {
                let mc = MonteCarlo(TestRun.values(cell, .variance, generation: t))
                let theory = s2 * pow(19.0 / 20, Double(t + 1))
                #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
            }
            // The theory curve is the same expectation.
            let curve = try #require(config.model.descriptor.theory(config).first { $0.metric == .variance })
            #expect(abs(curve.values[10] - s2 * pow(19.0 / 20, 11)) < 1e-12)
        }
    }

    /// The word unigram on a corpus of one-word lines under replace, no smoothing:
    /// E[H_t] = (1 − 1/N)^(t+1)(1 − Σp²) with N = samples tokens a generation (times
    /// M/(M − 1) for drawing generation 0's N tokens without replacement from M).
    @Test func unigramHeterozygosityDecaysAsWrightFisher() throws {
        try withDataFolder { folder in
            let words = ["the", "of", "and", "to", "a", "in", "is", "it"]
            let weights = [8.0, 5, 4, 3, 2, 2, 1, 1]
            let stream = RandomStream(key: StreamKey(seed: 5, cell: 0, replicate: 0))
            var lines: [String] = [], counts = [Double](repeating: 0, count: words.count)
            let total = weights.reduce(0, +)
            for _ in 0..<50_000 {
                var u = stream.uniform() * total, k = 0
                while u >= weights[k] { u -= weights[k]; k += 1 }
                counts[k] += 1
                lines.append(k % 2 == 0 ? words[k].uppercased() : words[k])
            }
            try folder.write("words.txt", lines.joined(separator: "\n") + "\n")
            let config = try folder.config("""
                replicates: 2000
                generations: 12
                samples: 40
                model: { family: categorical, smoothing: 0 }
                real: { distribution: text, file: words.txt, unit: line, tokens: word, lowercase: true }
                metrics: [heterozygosity, support_size]
                """)
            let spec = try #require(config.real.spec as? TextRealData)
            #expect(spec.vocabulary.count == words.count)
            let M = 50_000.0
            let h = 1 - counts.reduce(0) { $0 + ($1 / M) * ($1 / M) }
            let cell = TestRun.run(config)
            for t in [0, 4, 12] {
                let mc = MonteCarlo(TestRun.values(cell, .heterozygosity, generation: t))
                let theory = pow(1 - 1.0 / 40, Double(t + 1)) * h * M / (M - 1)
                #expect(mc.agrees(with: theory), "t=\(t): \(mc.mean) ± \(mc.standardError) vs \(theory)")
            }
        }
    }

    /// Text tokens: words, apostrophes inside words, punctuation on its own, paragraphs.
    @Test func tokenizationAndUnits() {
        #expect(TextRealData.tokenize("Don't panic, it's 42!", .word) == ["Don't", "panic", ",", "it's", "42", "!"])
        #expect(TextRealData.tokenize(" ab\nc ", .character) == ["a", "b", " ", "c"])
        let docs = TextRealData.documents("one two\nthree\n\n\nfour\r\n", unit: .paragraph, tokens: .word, lowercase: false)
        #expect(docs == [["one", "two", "three"], ["four"]])
        let lines = TextRealData.documents("A b\n\n  \nc\n", unit: .line, tokens: .word, lowercase: true)
        #expect(lines == [["a", "b"], ["c"]])
        // CRLF line endings: each line its own document, each blank line a paragraph break.
        #expect(TextRealData.documents("a b\r\nc d\r\n", unit: .line, tokens: .word, lowercase: false) == [["a", "b"], ["c", "d"]])
        #expect(TextRealData.documents("a\r\nb\r\n\r\nc\r\n", unit: .paragraph, tokens: .word, lowercase: false) == [["a", "b"], ["c"]])
    }

    /// R₀, the held-out sample and every fresh draw of a chain are distinct rows of the
    /// file (checked by the id column), for every chain of a kde run with mix/fresh.
    @Test func initialHeldoutAndFreshRowsNeverOverlap() throws {
        try withDataFolder { folder in
            let (text, _) = normalTable(rows: 3000, seed: 4)
            try folder.write("t.csv", text)
            let config = try folder.config("""
                replicates: 6
                generations: 8
                samples: 100
                heldout: 150
                model: { family: kde }
                real: { distribution: table, file: t.csv, columns: [id] }
                policy: { kind: mix, real_fraction: 0.3, real_source: fresh }
                metrics: [nll_heldout, variance]
                """)
            let family = RecordingFamily(inner: KernelDensityFamily(real: config.real.reference!, bandwidth: .scott,
                                                                     temperature: 1))
            let runner = ChainRunners.make(family, config: config)
            for r in 0..<6 { _ = runner.run(key: StreamKey(seed: 1, cell: 0, replicate: UInt64(r)), replicate: r) }
            let draws = family.log.draws
            #expect(draws.count == 6)
            for (_, chain) in draws {
                let ids = chain.flatMap(\.rows)
                #expect(Set(ids).count == ids.count, "a row was drawn twice in one chain")
                let labels: [String] = chain.map(\.label)
                let expectedLabels: [String] = ["heldout"] + Array(repeating: "real", count: 9)
                #expect(labels == expectedLabels)
                let sizes: [Int] = chain.map(\.rows.count)
                let expectedSizes: [Int] = [150, 100] + Array(repeating: 30, count: 8)
                #expect(sizes == expectedSizes)
            }
        }
    }

    /// The config hash covers the file's SHA-256: one changed cell changes it, and a
    /// pinned `sha256` that no longer matches is an error naming both hashes.
    @Test func aChangedFileChangesTheHash() throws {
        try withDataFolder { folder in
            let yaml = "model: { family: gaussian }\nreal: { distribution: table, file: t.csv, columns: [x] }\nsamples: 5\n"
            try folder.write("t.csv", "x\n1\n2\n3\n4\n5\n6\n")
            let first = try folder.config(yaml)
            try folder.write("t.csv", "x\n1\n2\n3\n4\n5\n7\n")
            let second = try folder.config(yaml)
            #expect(first.hash != second.hash)
            let sha = try #require((first.real.spec as? TableRealData)?.data.sha256)
            let pinned = folder.errors(yaml.replacingOccurrences(of: "columns: [x]", with: "columns: [x], sha256: \(sha)"))
            #expect(pinned.count == 1 && pinned[0].hasPrefix("real.sha256: got '\(sha)', but ") && pinned[0].contains("has changed"),
                    "\(pinned)")
        }
    }

    @Test func klIsUnavailableForFileDataWithAReason() throws {
        try withDataFolder { folder in
            try folder.write("t.csv", normalTable(rows: 200, seed: 1).text)
            let base = "model: { family: gaussian }\nreal: { distribution: table, file: t.csv, columns: [x] }\n"
            #expect(!(try folder.config(base)).metrics.contains(.kl))
            let errors = folder.errors(base + "metrics: [variance, kl]\n")
            #expect(errors == ["metrics[1]: got 'kl'; allowed: a metric this real data supports: kl needs the real distribution's density, and real.distribution table (a file's empirical distribution) has none"],
                    "\(errors)")
        }
    }

    /// `tail_mass_ratio` and `sample_tail_mass_ratio` divide by the file's own share
    /// outside its 1% / 99% quantiles, so the file measured against itself gives 1.
    @Test func tailRatiosUseTheFilesOwnTailShare() throws {
        try withDataFolder { folder in
            try folder.write("t.csv", "x\n" + (0..<1000).map { "\($0 % 50)" }.joined(separator: "\n") + "\n")
            let config = try folder.config("model: { family: gaussian }\nreal: { distribution: table, file: t.csv }\n")
            let real = config.real.reference!
            let file = real.distribution as! EmpiricalDistribution
            // q01 = 0 and q99 = 49: nothing lies outside, so the share is 0 and the tail
            // ratios are NaN (recorded, not a crash) — a column of 50 tied values.
            #expect(real.q01 == [0] && real.q99 == [49] && real.tailShare == 0)
            let sample = Dataset(values: file.columns[0], dimension: 1)
            let v = sampleMetrics(sample, real: real)
            #expect(v[.sampleTailMassRatio].isNaN)
            #expect(v[.ks] == 0)
        }
    }
}

/// A kde family that records, per chain, every real draw it makes (its rows, by the id
/// column), labelled `heldout` or `real` (R₀ and fresh rows).
final class RecordingFamily: MixtureFamily, @unchecked Sendable {
    let inner: KernelDensityFamily
    let log = DrawLog()
    var real: RealReference { inner.real }

    init(inner: KernelDensityFamily) { self.inner = inner }

    final class DrawLog: @unchecked Sendable {
        let lock = NSLock()
        /// Each chain's pool (kept alive, so identities are not reused) and its draws.
        var pools: [RowPool] = []
        var draws: [ObjectIdentifier: [(label: String, rows: [Int])]] = [:]
        func add(_ pool: RowPool?, _ label: String, _ data: Dataset) {
            lock.withLock {
                if !pools.contains(where: { $0 === pool! }) { pools.append(pool!) }
                draws[ObjectIdentifier(pool!), default: []].append((label, data.values.map { Int($0) }))
            }
        }
    }

    func drawReal(_ count: Int, truth: RowPool?, stream: RandomStream) -> Dataset {
        let data = inner.drawReal(count, truth: truth, stream: stream)
        log.add(truth, "real", data)
        return data
    }

    func drawHeldout(_ count: Int, truth: RowPool?, stream: RandomStream) -> Dataset {
        let data = inner.drawReal(count, truth: truth, stream: stream)
        log.add(truth, "heldout", data)
        return data
    }

    func fit(_ data: Dataset, stream: RandomStream) -> FittedMixture { inner.fit(data, stream: stream) }
    func sample(_ model: FittedMixture, count: Int, truth: RowPool?, stream: RandomStream) -> Dataset {
        inner.sample(model, count: count, truth: truth, stream: stream)
    }
    static func metrics(real: RealDataConfig) -> [Metric<RecordingFamily>] { MixtureMetrics.all(real: real) }
}
