import ArgumentParser
import CollapseKit
import Foundation

/// `collapse report DIR`: charts and an HTML page from a results folder.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write SVG charts and index.html into DIR/report/ from a results folder.")

    @Argument(help: "A results folder written by `collapse run` (holds manifest.json and summary.csv).")
    var dir: String

    @Option(help: ArgumentHelp("The swept key whose values split charts of more than 6 lines into panels (default: the swept key with the fewest values).",
                               valueName: "key"))
    var facet: String?

    func run() throws {
        let results: ResultsReader
        do {
            results = try ResultsReader(folder: URL(fileURLWithPath: dir))
        } catch {
            throw fail(error.description, code: ExitCodes.outputRefused)
        }
        let builder = ReportBuilder(results: results, facet: facet)
        if let facet, !builder.sweptKeys.contains(facet) {
            let keys = builder.sweptKeys.isEmpty ? "none: this run has no sweep" : builder.sweptKeys.joined(separator: ", ")
            throw fail("--facet: got '\(facet)'; allowed: a swept key of this run (\(keys))", code: ExitCodes.badConfig)
        }
        do {
            let figures = try builder.write()
            print("wrote \(results.folder.appendingPathComponent("report").path)/index.html and \(figures.count) charts")
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }
    }
}
