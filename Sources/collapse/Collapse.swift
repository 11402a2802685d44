import ArgumentParser
import CollapseKit
import Foundation

/// `collapse`: run model-collapse experiments from config files.
@main
struct Collapse: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        abstract: "Model-collapse experiments: refit generative models on their own output, generation after generation, and measure what is lost.",
        version: version,
        subcommands: [Run.self, Validate.self, Merge.self, Export.self, Analyze.self, Slurm.self, TheoryCommand.self, ReportCommand.self, Compare.self, Demo.self, Bench.self]
    )
}

/// Prints an error to stderr and exits with `code`.
func fail(_ message: String, code: Int32) -> ExitCode {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    return ExitCode(code)
}

/// Exit codes: 2 for a bad config (file, YAML or any field, `--set` included) or a
/// folder `export` cannot read, 3 for an output-folder problem (`export`: an existing
/// `--out`), 4 when `merge` refuses its shards (different configs, missing or
/// conflicting chains) or `slurm --submit` fails, 5 when an external generator failed
/// (its `hello`, before any chain; or a chain's `generator_failed`, after the results
/// are written), 130 when a run was interrupted
/// (Ctrl-C, SIGTERM). Malformed command-line options are swift-argument-parser's:
/// exit code 64.
enum ExitCodes {
    static let badConfig: Int32 = 2
    static let outputRefused: Int32 = 3
    static let mergeRefused: Int32 = 4
    static let generatorFailed: Int32 = 5
    static let interrupted: Int32 = 130
}
