import ArgumentParser
import CollapseKit
import Foundation

/// `collapse merge DIR… --out DIR`: combine shard folders (or any run folders of one
/// config) into the files a single run writes, byte for byte.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the shards of a run (`collapse run --shard k/N`) into one result folder.",
        discussion: "Checks that every folder holds the same config (config_hash), reports missing and duplicate chains by (cell, replicate), and writes metrics.csv (in any form), summary.csv, cells.csv, events.csv and manifest.json identical to a single run's.")

    @Argument(help: "Shard folders (each written by `collapse run --shard k/N --out DIR`).")
    var shards: [String]

    @Option(help: "Output folder for the merged results.")
    var out: String

    @Option(name: .customLong("metrics-file"),
            help: "The per-replicate table: csv (metrics.csv), csv.gz (metrics.csv.gz) or none. Default: as the first folder's config says (output.metrics_file).")
    var metricsFile: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give at least one shard folder") }
        if let metricsFile, MetricsFileForm(rawValue: metricsFile) == nil {
            throw ValidationError("--metrics-file \(metricsFile): allowed: one of \(MetricsFileForm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let started = Date()
        let merged: ShardMerge.Merged
        do {
            merged = try ShardMerge.merge(folders: shards, into: out, form: metricsFile.flatMap(MetricsFileForm.init),
                                          workers: ProcessInfo.processInfo.activeProcessorCount, facts: {
                RunFacts(toolVersion: Collapse.version, gitCommit: BuildStamp.gitCommit, startedAt: started,
                         finishedAt: Date(), jobs: 1, command: CommandLine.arguments)
            }, warning: { if !quiet { note($0.description) } })
        } catch let e as ShardMergeError {
            if case .output = e { throw fail(e.description, code: ExitCodes.outputRefused) }
            throw fail(e.description, code: ExitCodes.mergeRefused)
        }
        // One line per kind of generator failure, even when quiet: they set the exit code.
        let failureLines = GeneratorFailureSummary.lines(merged.generatorFailures)
        for line in failureLines { note(line) }
        if !quiet {
            print("merged \(merged.chains) chains of \(merged.cells) cell\(merged.cells == 1 ? "" : "s") from \(shards.count) folder\(shards.count == 1 ? "" : "s")")
            let files = [merged.form.fileName, OutputFolder.summaryFile, OutputFolder.cellsFile, EventsTable.file, OutputFolder.manifestFile]
            print("wrote \(OutputFolder(path: out).url.path)/{\(files.compactMap { $0 }.joined(separator: ", "))}")
        }
        if !failureLines.isEmpty { throw ExitCode(ExitCodes.generatorFailed) }
    }
}
