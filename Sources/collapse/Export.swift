import ArgumentParser
import CollapseKit
import Foundation

extension ExportTable: ExpressibleByArgument {}

/// `collapse export DIR… --out FILE.csv [--what summary|metrics|events]`: one tidy
/// table of several results folders, with an `experiment` column and one column per
/// swept or differing config path, for pandas and R.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one tidy CSV of several results folders: experiment, cell, the swept or differing config paths, then the table's columns.",
        discussion: "Config columns are named by their dotted path with '_' for '.', so DataFrame.query can use them. Refuses an existing --out.")

    @Argument(help: "Results folders (written by `collapse run` or `collapse merge`).")
    var dirs: [String]

    @Option(help: ArgumentHelp("The CSV file to write (must not exist).", valueName: "file.csv"))
    var out: String

    @Option(help: "The table: summary (summary.csv), metrics (metrics.csv, or metrics.csv.gz) or events (manifest.json's cells[].events[]).")
    var what: ExportTable = .summary

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if dirs.isEmpty { throw ValidationError("give at least one results folder") }
    }

    func run() throws {
        let written: TidyExport.Written
        do {
            written = try TidyExport.export(folders: dirs, table: what, to: out, warning: { if !quiet { note($0) } })
        } catch {
            throw fail(error.description, code: error.isOutputProblem ? ExitCodes.outputRefused : ExitCodes.badConfig)
        }
        guard !quiet else { return }
        let columns = written.configColumns.isEmpty ? "no config columns" : "config columns \(written.configColumns.joined(separator: ", "))"
        print("exported \(written.rows) \(what.rawValue) rows of \(written.experiments) experiment\(written.experiments == 1 ? "" : "s") (\(columns))")
        print("wrote \(URL(fileURLWithPath: out).standardizedFileURL.path)")
    }
}
