import ArgumentParser
import CollapseKit
import Foundation

/// `collapse bench`: the performance kernels, each as throughput against its reference
/// (the raw RNG rate, one worker, or the sample path), median of several runs.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the performance kernels: throughput, the reference rate, and their ratio.",
        discussion: "Build with -c release first: debug builds are many times slower. benchmarks/README.md says how to compare with numpy and scikit-learn.")

    @Option(help: "Runs per kernel; the median is reported.")
    var runs = 5

    @Option(name: .customLong("kernel"), help: ArgumentHelp("Run only this kernel (repeatable): \(BenchmarkSuite.kernels.joined(separator: ", ")).", valueName: "name"))
    var kernels: [String] = []

    @Option(help: ArgumentHelp("Points for gmm.fit, one number per line (blank lines skipped), as written by benchmarks/gmm_vs_sklearn.py.", valueName: "file"))
    var gmmData: String?

    @Option(help: ArgumentHelp("A CSV file for the copula.* kernels (every column; rows with an empty cell dropped), as benchmarks/copula_vs_copulas.py passes.", valueName: "file"))
    var copulaData: String?
    @Option(help: ArgumentHelp("A text file for ngram.fit and ngram.generate (paragraphs, lower-cased words, as the fortunes experiments read data/fortunes.txt; benchmarks/ngram_vs_nltk.py passes it).", valueName: "file"))
    var textData: String?

    @Flag(help: "Small problems (a smoke test, not a measurement).")
    var quick = false

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs: got \(runs); allowed: an integer ≥ 1") }
        for k in kernels where !BenchmarkSuite.kernels.contains(k) {
            throw ValidationError("--kernel: got '\(k)'; allowed: \(BenchmarkSuite.kernels.joined(separator: ", "))")
        }
    }

    func run() throws {
        var data: Dataset?
        if let gmmData {
            guard let text = try? String(contentsOfFile: gmmData, encoding: .utf8) else {
                throw fail("--gmm-data: cannot read '\(gmmData)'", code: ExitCodes.badConfig)
            }
            var values: [Double] = []
            for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty { continue }
                guard let v = Double(line), v.isFinite else {
                    throw fail("--gmm-data: line \(i + 1) of '\(gmmData)' is '\(line)'; allowed: one finite number per line",
                               code: ExitCodes.badConfig)
                }
                values.append(v)
            }
            guard values.count >= 2 else {
                throw fail("--gmm-data: '\(gmmData)' has \(values.count) points; allowed: at least 2", code: ExitCodes.badConfig)
            }
            data = Dataset(values: values, dimension: 1)
        }
        var text: String?
        if let textData {
            guard let t = try? String(contentsOfFile: textData, encoding: .utf8) else {
                throw fail("--text-data: cannot read '\(textData)' as UTF-8 text", code: ExitCodes.badConfig)
            }
            text = t
        }
        let suite = BenchmarkSuite(runs: runs, quick: quick, gmmData: data, copulaData: copulaData, textData: text)
        FileHandle.standardOutput.write(Data((row("kernel", "rate", "reference", "ratio", "target", "setup") + "\n").utf8))
        do {
            try suite.run(only: Set(kernels)) { r in
                let reference = r.reference.map { "\(Self.rate($0)) (\(r.referenceName!))" } ?? "-"
                let ratio = r.ratio.map { String(format: "%.3g", $0) } ?? "-"
                let target = r.target.map { String(format: "≥ %g", $0) } ?? "-"
                FileHandle.standardOutput.write(Data((row(r.kernel, "\(Self.rate(r.rate)) \(r.unit)", reference, ratio, target, r.setup) + "\n").utf8))
            }
        } catch let e as ConfigErrors where copulaData != nil {
            // The copula kernels read --copula-data as a table config.
            throw fail("--copula-data: '\(copulaData!)': " + e.errors.map(\.description).joined(separator: "; "), code: ExitCodes.badConfig)
        }
    }

    private func row(_ cells: String...) -> String {
        let widths = [22, 24, 38, 7, 8]
        return zip(cells, widths + [0]).map { c, w in c.padding(toLength: max(w, c.count), withPad: " ", startingAt: 0) }
            .joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    /// A rate with an SI prefix: 123.4M.
    static func rate(_ x: Double) -> String {
        let units: [(Double, String)] = [(1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (scale, suffix) in units where x >= scale { return String(format: "%.4g%@", x / scale, suffix) }
        return String(format: "%.4g", x)
    }
}
