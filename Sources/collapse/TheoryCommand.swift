import ArgumentParser
import CollapseKit
import Foundation

/// `collapse theory CONFIG`: write the closed-form predictions of every cell to
/// theory.csv, without running anything.
struct TheoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theory",
        abstract: "Write the closed-form prediction of every metric that has one to theory.csv.")

    @Argument(help: "Experiment config (YAML or JSON).")
    var config: String

    @OptionGroup var output: OutputOption

    @OptionGroup var configOptions: ConfigOptions

    func run() throws {
        let experiment = try configOptions.loadExperiment(path: config)
        let folder = OutputFolder(path: output.path(for: experiment))
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
