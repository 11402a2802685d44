import ArgumentParser
import CollapseKit
import Foundation

/// `collapse theory CONFIG` or `collapse theory DIR`: write the closed-form predictions
/// of every cell to theory.csv, without running anything. DIR is a results folder: its
/// manifest's config is used, and theory.csv goes beside the run's files.
struct TheoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theory",
        abstract: "Write the closed-form prediction of every metric that has one to theory.csv.",
        discussion: "Give a config (with --set as for run), or a results folder written by `collapse run`: then the config recorded in its manifest.json is used and theory.csv is written into that folder.")

    @Argument(help: ArgumentHelp("Experiment config (YAML or JSON), or a results folder holding manifest.json.",
                                 valueName: "config-or-dir"))
    var config: String

    @Option(help: "Output folder (default: results/<name> for a config, the folder itself for a results folder).")
    var out: String?

    @OptionGroup var configOptions: ConfigOptions

    var isFolder: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: config, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    func validate() throws {
        if isFolder, !configOptions.overrides.isEmpty || configOptions.configDirectory != nil {
            throw ValidationError("--set and --config-dir: not allowed with a results folder (\(config)); the config recorded in its manifest.json is used. Give the config file to change fields.")
        }
    }

    func run() throws {
        let experiment: Experiment
        let path: String
        if isFolder {
            do {
                experiment = try RecordedExperiment(folder: URL(fileURLWithPath: config)).experiment
            } catch {
                throw fail(error.description, code: ExitCodes.outputRefused)
            }
            path = out ?? config
        } else {
            experiment = try configOptions.loadExperiment(path: config)
            path = out ?? "results/\(experiment.name)"
        }
        let folder = OutputFolder(path: path)
        let cells = experiment.cells
        do {
            try folder.checkWritable(configHash: experiment.hash)
            try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
            try AtomicFile.write(TheoryTable.csv(cells), to: folder.url.appendingPathComponent(TheoryTable.file))
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }
        for cell in cells {
            let curves = Theory.curves(for: cell.config)
            print("cell \(cell.id): " + (curves.isEmpty ? "no closed form for this configuration"
                                                     : curves.map(\.metric.rawValue).joined(separator: ", ")))
            for curve in curves { print("  \(curve.metric.rawValue): \(curve.source)") }
        }
        print("wrote \(folder.url.path)/\(TheoryTable.file)")
    }
}
