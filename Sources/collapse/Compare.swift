import ArgumentParser
import CollapseKit
import Foundation

/// `collapse compare DIR… --out DIR`: the report's charts across results folders.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the report's charts across several results folders, one line per experiment × cell, into --out.",
        discussion: "Legends name each line by the config paths whose values differ (kind=accumulate, samples=20), or by the experiment name. --out must be missing, empty, or an earlier compare's folder.")

    @Argument(help: "Results folders written by `collapse run` or `collapse merge`.")
    var dirs: [String]

    @Option(help: ArgumentHelp("The folder to write index.html and the charts into.", valueName: "dir"))
    var out: String

    func validate() throws {
        if dirs.isEmpty { throw ValidationError("give at least one results folder") }
    }

    func run() throws {
        var runs: [ResultsReader] = []
        for dir in dirs {
            do { runs.append(try ResultsReader(folder: URL(fileURLWithPath: dir))) } catch {
                throw fail(error.description, code: ExitCodes.outputRefused)
            }
        }
        let folder = URL(fileURLWithPath: out).standardizedFileURL
        if let problem = Self.refusal(folder) { throw fail(problem, code: ExitCodes.outputRefused) }
        do {
            let figures = try CompareBuilder(runs: runs).write(to: folder)
            print("wrote \(folder.path)/index.html and \(figures.count) charts comparing \(runs.count) folder\(runs.count == 1 ? "" : "s")")
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }
    }

    /// Why `folder` may not receive a comparison (nil when it is missing, empty, or an
    /// earlier comparison's).
    static func refusal(_ folder: URL) -> String? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir) else { return nil }
        guard isDir.boolValue else { return "--out \(folder.path): not a folder" }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        if entries.isEmpty || entries.contains(CompareBuilder.markerFile) { return nil }
        return "--out \(folder.path): not empty and not an earlier `collapse compare` folder (no \(CompareBuilder.markerFile)); choose another --out (nothing was written)"
    }
}
