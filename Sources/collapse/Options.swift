import ArgumentParser
import CollapseKit

/// `--set key=value` (repeatable): field overrides on top of the config.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a field: key.path=value.", valueName: "key=value"))
    var overrides: [String] = []

    /// Loads a config (or the built-in quickstart when `path` is nil) with its sweep and
    /// these overrides, or exits with the errors.
    func loadExperiment(path: String?) throws -> Experiment {
        do {
            if let path { return try ConfigLoader.loadExperiment(path: path, overrides: overrides) }
            return try ConfigLoader.parseExperiment(text: Quickstart.yaml, source: "quickstart", overrides: overrides)
        } catch let errors as ConfigErrors {
            let where_ = path ?? "the built-in quickstart"
            throw fail("invalid config \(where_):\n" + errors.errors.map { "  \($0)" }.joined(separator: "\n"),
                       code: ExitCodes.badConfig)
        }
    }
}

/// `--out DIR`, optional: the output folder, results/<name> by default.
struct OutputOption: ParsableArguments {
    @Option(help: "Output folder (default: results/<name>).")
    var out: String?

    /// The folder given, or results/<name> followed by `suffix`.
    func path(for experiment: Experiment, suffix: String = "") -> String {
        out ?? "results/\(experiment.name)" + suffix
    }
}
