/// Why `collapse export` wrote nothing. `description` is the message for the user;
/// ``isOutputProblem`` tells a refused or failed `--out` (exit 3) from bad input (exit 2).
public enum ExportError: Error, CustomStringConvertible, Equatable {
    /// A folder without `manifest.json`.
    case notAResultsFolder(path: String)
    /// A `manifest.json` that is not a finished run's: the path and what is missing.
    case badManifest(path: String, problem: String)
    /// A shard's folder (its manifest has `shard` and no results).
    case shardFolder(path: String, shard: String)
    /// The config in the manifest of a sweep does not rebuild its cells.
    case configDoesNotLoad(path: String, errors: [String])
    /// The rebuilt sweep is not the one in the manifest (another hash or other cells).
    case configMismatch(path: String, problem: String)
    /// The table file is missing from the folder.
    case missingTable(path: String)
    /// `--table metrics` of a folder written with `output.metrics_file: none`.
    case metricsNotWritten(path: String)
    /// A table file that cannot be read as the harness writes it.
    case badTable(path: String, problem: String)
    /// Two config paths give one column name.
    case columnCollision(name: String, paths: [String])
    /// `--out` exists already.
    case outputExists(path: String)
    /// Writing `--out` failed.
    case cannotWrite(path: String, reason: String)

    public var isOutputProblem: Bool {
        switch self {
        case .outputExists, .cannotWrite: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .notAResultsFolder(let path):
            return "\(path): not a collapse results folder (no manifest.json); give folders written by `collapse run` or `collapse merge` (nothing was written)"
        case .badManifest(let path, let problem):
            return "\(path): \(problem); give folders written by `collapse run` or `collapse merge` (nothing was written)"
        case .shardFolder(let path, let shard):
            return "\(path): holds shard \(shard) only, not results; merge the shards first (`collapse merge SHARD_FOLDERS… --out DIR`) and export DIR (nothing was written)"
        case .configDoesNotLoad(let path, let errors):
            return "\(path): its sweep's cells cannot be rebuilt from its config (the first cell's resolved config plus the sweep):\n"
                + errors.map { "  \($0)" }.joined(separator: "\n") + "\n(nothing was written)"
        case .configMismatch(let path, let problem):
            return "\(path): \(problem) (nothing was written)"
        case .missingTable(let path):
            return "\(path) is missing (nothing was written)"
        case .metricsNotWritten(let path):
            return "\(path): written with output.metrics_file: none, so it has no metrics.csv; export --what summary or events, or write the table from the folder's journal with `collapse merge \(path) --out NEW --metrics-file csv` and export NEW (nothing was written)"
        case .badTable(let path, let problem):
            return "\(path): \(problem) (nothing was written)"
        case .columnCollision(let name, let paths):
            return "config paths \(paths.joined(separator: " and ")) both give the column name \(name); export these folders separately (nothing was written)"
        case .outputExists(let path):
            return "--out \(path): exists already; choose another --out or remove it (nothing was written)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
