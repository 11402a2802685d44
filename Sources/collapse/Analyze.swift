import ArgumentParser
import CollapseKit
import Foundation

/// `collapse analyze`: analyses of a results folder that go beyond its summary.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyses of a results folder: the synthetic-for-real exchange rate, and the parity share of a mix sweep.",
        subcommands: [ExchangeRateCommand.self])
}

/// `collapse analyze exchange-rate DIR --metric M [--parity]`: writes
/// `exchange_rate.csv` (or `parity.csv`) into DIR or `--out` (docs/analysis.md).
struct ExchangeRateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange-rate",
        abstract: "How many synthetic points one real point is worth: the real size of equal utility for each synthetic size, with a bootstrap 95% interval (exchange_rate.csv).",
        discussion: """
            The real arm is every cell's --real-metric at generation 0 (trained on its `samples` real points), pooled by samples; \
            the synthetic arm at n is the cells with samples = n, whose generation-0 batch of policy.synthetic_size points \
            (default: samples) --metric measures. With --parity, reads a policy.kind mix sweep over policy.real_fraction instead \
            and writes parity.csv: the smallest real share within --tolerance of 100% real. See docs/analysis.md.
            """)

    @Argument(help: "A results folder written by `collapse run` or `collapse merge` (needs metrics.csv or metrics.csv.gz).")
    var dir: String

    @Option(help: ArgumentHelp("The synthetic arm's utility metric, e.g. tstr_accuracy (with --parity: the metric of the curve).", valueName: "name"))
    var metric: String

    @Option(help: ArgumentHelp("The real arm's metric (default: trtr_X for --metric tstr_X, else --metric).", valueName: "name"))
    var realMetric: String?

    @Option(help: ArgumentHelp("The real set size n of the synthetic arm (repeatable; default: every samples value of the folder).", valueName: "n"))
    var realSize: [Int] = []

    @Option(help: "Bootstrap resamples.")
    var resamples = 2000

    @Option(help: "The bootstrap's seed.")
    var seed: UInt64 = 1

    @Flag(help: "Lower values are better (a loss): the real curve is fitted non-increasing, and parity means at most --tolerance above 100% real.")
    var lowerIsBetter = false

    @Flag(help: "Analyze a policy.kind mix sweep over policy.real_fraction: write parity.csv.")
    var parity = false

    @Option(help: "--parity: how far below 100% real a share's mean utility may be (default 0.01: one percentage point).")
    var tolerance = 0.01

    @Option(help: ArgumentHelp("--parity: the generation read (default: the metric's last).", valueName: "g"))
    var generation: Int?

    @Option(help: ArgumentHelp("The folder to write the CSV into (default: DIR).", valueName: "dir"))
    var out: String?

    @Flag(help: "Replace an existing exchange_rate.csv / parity.csv.")
    var force = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if resamples < 1 { throw ValidationError("--resamples: got \(resamples); allowed: an integer >= 1") }
        if !(tolerance >= 0) { throw ValidationError("--tolerance: got \(tolerance); allowed: a number >= 0") }
        if let generation, generation < 0 { throw ValidationError("--generation: got \(generation); allowed: an integer >= 0") }
        if realSize.contains(where: { $0 < 1 }) { throw ValidationError("--real-size: allowed: integers >= 1") }
        if parity, realMetric != nil || !realSize.isEmpty {
            throw ValidationError("--real-metric and --real-size are for the exchange rate; --parity reads only --metric")
        }
        if !parity, generation != nil { throw ValidationError("--generation is for --parity; the exchange rate reads generation 0") }
    }

    func run() throws {
        do {
            if parity { try runParity() } else { try runExchangeRate() }
        } catch let e as AnalysisError {
            throw fail(e.description, code: e.isOutputProblem ? ExitCodes.outputRefused : ExitCodes.badConfig)
        }
    }

    func runExchangeRate() throws(AnalysisError) {
        let real = realMetric ?? FolderAnalysis.realMetric(for: metric)
        let result = try FolderAnalysis.exchangeRate(
            path: dir, metric: metric, realMetric: real, realSetSizes: realSize,
            options: ExchangeRate.Options(resamples: resamples, seed: seed, lowerIsBetter: lowerIsBetter))
        let url = try AnalysisTables.write(AnalysisTables.exchangeRate(result, metric: metric, realMetric: real),
                                           file: AnalysisTables.exchangeRateFile, folder: out ?? dir, force: force)
        guard !quiet else { return }
        print("real arm: \(real) at generation 0, r = \(result.real.map { String($0.size) }.joined(separator: ", "))")
        for p in result.synthetic {
            let rate = p.rate.map { r in
                "rate \(Self.short(r)) [\(p.rateLow.map(Self.short) ?? "?"), \(p.rateHigh.map(Self.short) ?? "?")]"
            } ?? "rate not identified"
            print("n = \(p.realSetSize), s = \(p.size): \(metric) \(Self.short(p.mean)), r* = \(p.equivalentRealSize.map(Self.short) ?? "-"), \(rate)")
        }
        print("wrote \(url.path) (bootstrap: \(resamples) resamples, seed \(seed))")
    }

    func runParity() throws(AnalysisError) {
        let (result, g) = try FolderAnalysis.parity(path: dir, metric: metric, generation: generation, tolerance: tolerance,
                                                    lowerIsBetter: lowerIsBetter)
        let url = try AnalysisTables.write(AnalysisTables.parity(result, metric: metric, generation: g, tolerance: tolerance),
                                           file: AnalysisTables.parityFile, folder: out ?? dir, force: force)
        guard !quiet else { return }
        print("\(metric) at generation \(g): 100% real \(Self.short(result.reference)); smallest real share within \(Self.short(tolerance)): \(NumberFormat.double(result.parityShare))")
        print("wrote \(url.path)")
    }

    static func short(_ x: Double) -> String { x.isFinite ? String(format: "%.4g", x) : NumberFormat.double(x) }
}
