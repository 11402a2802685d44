@testable import CollapseKit

/// Helpers shared by the suites: run an experiment in-process and pull one metric's
/// values at one generation across replicates.
enum TestRun {
    static func config(_ yaml: String, overrides: [String] = []) throws -> ExperimentConfig {
        try ConfigLoader.parse(text: yaml, source: "test", overrides: overrides)
    }

    static func run(_ yaml: String, jobs: Int = 2, overrides: [String] = []) throws -> CellResult {
        let c = try config(yaml, overrides: overrides)
        return ExperimentRunner(config: c, jobs: jobs).run()[0]
    }

    /// The messages of every config error in `yaml` (empty when it is valid).
    static func configErrors(_ yaml: String, overrides: [String] = []) -> [String] {
        do {
            _ = try ConfigLoader.parse(text: yaml, overrides: overrides)
            return []
        } catch let e as ConfigErrors {
            return e.errors.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    /// The values of `metric` at generation `g`, one per replicate that reached it.
    static func values(_ cell: CellResult, _ metric: MetricName, generation g: Int) -> [Double] {
        cell.values(of: metric, generation: g)
    }
}

/// Mean and its Monte Carlo standard error.
struct MonteCarlo {
    let mean: Double
    let standardError: Double

    init(_ x: [Double]) {
        let n = Double(x.count)
        let m = x.reduce(0, +) / n
        mean = m
        let v = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        standardError = (v / n).squareRoot()
    }

    /// |mean − expected| < k·SE.
    func agrees(with expected: Double, within k: Double = 4) -> Bool {
        abs(mean - expected) < k * standardError
    }
}
