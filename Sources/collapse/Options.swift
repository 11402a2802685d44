import ArgumentParser
import Foundation
import CollapseKit

/// `--set key=value` (repeatable): field overrides on top of the config.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a field: key.path=value.", valueName: "key=value"))
    var overrides: [String] = []

    @Option(name: .customLong("config-dir"),
            help: ArgumentHelp("The folder relative paths in the config (real.file) start from (default: the config file's folder).",
                               valueName: "dir"))
    var configDirectory: String?

    /// Loads a config (or the built-in quickstart when `path` is nil) with its sweep and
    /// these overrides, or exits with the errors.
    func loadExperiment(path: String?) throws -> Experiment {
        do {
            let base = configDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            if let path {
                return try ConfigLoader.parseExperiment(text: ConfigLoader.readFile(path), source: path, overrides: overrides,
                                                        baseDirectory: base ?? ConfigLoader.directory(of: path))
            }
            return try ConfigLoader.parseExperiment(text: Quickstart.yaml, source: "quickstart", overrides: overrides,
                                                    baseDirectory: base ?? FileManager.default.currentDirectoryPath)
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
