/// Why `collapse analyze` wrote nothing. `description` is the message for the user;
/// ``isOutputProblem`` tells a refused or failed output (exit 3) from bad input (exit 2).
public enum AnalysisError: Error, CustomStringConvertible, Equatable {
    /// The folder does not exist.
    case missingFolder(path: String)
    /// The results folder cannot be read (no manifest, a shard, a missing or bad table).
    case folder(ExportError)
    /// A folder written with `output.metrics_file: none`.
    case metricsNotWritten(path: String)
    /// `metric` has no values in the folder for what `role` names; `present` lists the
    /// metrics it does hold.
    case metricMissing(metric: String, role: String, path: String, present: [String])
    /// The real arm has fewer than two sizes with values.
    case tooFewRealSizes(metric: String, sizes: [Int])
    /// No cell of the synthetic arm (cells with `samples` = the real set size).
    case syntheticArmMissing(realSetSize: Int, samples: [Int])
    /// Several cells give one point of an arm (`what`), and they differ in `keys`.
    case duplicateCells(what: String, cells: [String], keys: [String])
    /// A cell's config value the analysis cannot use.
    case badValue(cell: String, path: String, value: String, allowed: String)
    /// `--parity`: no cell with `policy.real_fraction` 1 (the 100 % real reference).
    case referenceMissing(shares: [Double])
    /// The requested generation has no values of the metric.
    case generationMissing(generation: Int, metric: String, available: [Int])
    /// The output file exists and `--force` was not given.
    case outputExists(path: String)
    /// Writing the output failed.
    case cannotWrite(path: String, reason: String)

    public var isOutputProblem: Bool {
        switch self {
        case .outputExists, .cannotWrite: return true
        case .folder(let e): return e.isOutputProblem
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .missingFolder(let path):
            return "\(path): no such folder; give a results folder written by `collapse run` or `collapse merge` (nothing was written)"
        case .folder(let e):
            return e.description
        case .metricsNotWritten(let path):
            return "\(path): written with output.metrics_file: none, so it has no per-replicate metrics.csv, which the bootstrap needs; write it from the folder's journal with `collapse merge \(path) --out NEW --metrics-file csv` and analyze NEW (nothing was written)"
        case .metricMissing(let metric, let role, let path, let present):
            let held = present.isEmpty ? "no metrics" : "the metrics \(present.joined(separator: ", "))"
            return "metric \(metric) (\(role)): no values in \(path); it holds \(held); run the sweep with \(metric) in metrics: or choose another metric (nothing was written)"
        case .tooFewRealSizes(let metric, let sizes):
            let got = sizes.isEmpty ? "none" : sizes.map(String.init).joined(separator: ", ")
            return "the real arm (\(metric) at generation 0, r = samples) has \(sizes.count) real size\(sizes.count == 1 ? "" : "s") (\(got)); the exchange rate needs at least two: sweep samples over several real sizes (nothing was written)"
        case .syntheticArmMissing(let n, let samples):
            return "the synthetic arm: no cell has samples = \(n) (the real set the generator is fitted to); the folder's cells have samples \(samples.map(String.init).joined(separator: ", ")); give --real-size one of those (nothing was written)"
        case .duplicateCells(let what, let cells, let keys):
            let differ = keys.isEmpty ? "" : ", which differ in \(keys.joined(separator: ", "))"
            return "cells \(cells.joined(separator: ", ")) all give \(what)\(differ); the analysis needs one cell per point: analyze a folder per value of the other keys (nothing was written)"
        case .badValue(let cell, let path, let value, let allowed):
            return "cell \(cell): \(path): got \(value); allowed: \(allowed) (nothing was written)"
        case .referenceMissing(let shares):
            let got = shares.isEmpty ? "none" : shares.map(NumberFormat.double).joined(separator: ", ")
            return "--parity: no cell with policy.real_fraction 1 (the 100 % real reference); the folder's shares are \(got); add 1 to the sweep of policy.real_fraction (nothing was written)"
        case .generationMissing(let g, let metric, let available):
            let got = available.isEmpty ? "none" : available.map(String.init).joined(separator: ", ")
            return "--generation \(g): no values of \(metric) there; its generations are \(got) (nothing was written)"
        case .outputExists(let path):
            return "\(path): exists already; pass --force to replace it, or choose another --out (nothing was written)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
