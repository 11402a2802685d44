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

    func run() throws {
        let results: ResultsReader
        do {
            results = try ResultsReader(folder: URL(fileURLWithPath: dir))
        } catch {
            throw fail(error.description, code: ExitCodes.outputRefused)
        }
        do {
            let figures = try ReportBuilder(results: results).write()
            print("wrote \(results.folder.appendingPathComponent("report").path)/index.html and \(figures.count) charts")
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }
    }
}
