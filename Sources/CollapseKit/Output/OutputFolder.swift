import Foundation

/// The results folder of one experiment: `metrics.csv`, `summary.csv`, `cells.csv`,
/// `events.csv`, `manifest.json`. Guards existing results: a folder holding another config's
/// results, or anything that is not collapse's, is refused before anything is written.
public struct OutputFolder {
    public let url: URL

    public static let metricsFile = "metrics.csv"
    public static let summaryFile = "summary.csv"
    public static let manifestFile = "manifest.json"

    public init(path: String) { url = URL(fileURLWithPath: path) }

    public static let cellsFile = "cells.csv"
    /// The subfolder that holds the shards of `collapse run --shard k/N` by default
    /// (`results/<name>/shards/k`).
    public static let shardsFolder = "shards"

    public var state: RunState { RunState(folder: url) }

    /// Checks that results of the config with hash `configHash` (and of `shard`, nil
    /// for a whole run) may be written here, without creating or changing anything. A
    /// folder is accepted when it is missing or empty, holds a run (finished or not)
    /// of the same config and shard, or, for a whole run, holds only `shards/` with run
    /// folders of the same config in it (the default shard folders: see
    /// ``checkShardFolders(configHash:)``). A whole run or a merge written there leaves
    /// `shards/` as it is.
    public func checkWritable(configHash: String, shard: Shard? = nil) throws {
        var isDir: ObjCBool = false
        let fm = FileManager.default
        guard fm.fileExists(atPath: url.path, isDirectory: &isDir) else { return }
        guard isDir.boolValue else { throw OutputError.notADirectory(path: url.path) }
        let entries = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
        // Empty, or holding only `collapse theory`'s output (written before any run).
        if entries.allSatisfy({ $0 == TheoryTable.file }) { return }
        // Holding only the default shard folders of this config (and theory.csv).
        if shard == nil, entries.contains(Self.shardsFolder),
           entries.allSatisfy({ $0 == TheoryTable.file || $0 == Self.shardsFolder }) {
            try checkShardFolders(configHash: configHash)
            return
        }
        if let info = state.readInfo() {
            if info.configHash != configHash {
                throw OutputError.differentConfig(path: url.path, existing: info.configHash, requested: configHash)
            }
            if info.shard != shard {
                let name = { (s: Shard?) in s.map { "shard \($0)" } ?? "the whole run" }
                throw OutputError.differentShard(path: url.path, existing: name(info.shard), requested: name(shard))
            }
            return
        }
        guard let object = JSONValue.readObject(at: url.appendingPathComponent(Self.manifestFile)),
              let existing = object["config_hash"]?.asString else {
            throw OutputError.foreignFolder(path: url.path)
        }
        if existing != configHash {
            throw OutputError.differentConfig(path: url.path, existing: existing, requested: configHash)
        }
        if shard != nil || object["shard"] != nil {
            throw OutputError.differentShard(path: url.path, existing: object["shard"]?.asString.map { "shard \($0)" } ?? "the whole run",
                                             requested: shard.map { "shard \($0)" } ?? "the whole run")
        }
    }

    /// Checks that `shards/` is a folder whose every entry is a run folder (one with
    /// `.collapse/run.json`, finished or not) of the config with hash `configHash`.
    func checkShardFolders(configHash: String) throws {
        let shards = url.appendingPathComponent(Self.shardsFolder)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: shards.path, isDirectory: &isDir), isDir.boolValue else {
            throw OutputError.foreignFolder(path: url.path)
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: shards.path)) ?? []).sorted()
        for name in names {
            let folder = shards.appendingPathComponent(name)
            guard let info = RunState(folder: folder).readInfo() else {
                throw OutputError.foreignShardsFolder(path: url.path, entry: folder.path)
            }
            if info.configHash != configHash {
                throw OutputError.shardOfDifferentConfig(path: url.path, shard: folder.path,
                                                         existing: info.configHash, requested: configHash)
            }
        }
    }

    /// Writes metrics.csv (in the form `output.metrics_file` asks for, or `form`),
    /// summary.csv, cells.csv, events.csv, samples.csv (when a cell asks for
    /// `output.snapshots`) and manifest.json (last, so a manifest means complete
    /// results) from the journal records of every chain, one cell at a time in cell-id
    /// order, streaming (``CellResultsWriter``): memory is bounded by a cell's block, not
    /// the run. The bytes depend only on the records, never on which process or thread
    /// produced them or when, and `workers` threads format and summarise side by side.
    /// `inspect` sees each cell's summary.
    public func writeResults(experiment: Experiment, journal: JournalIndex, facts: RunFacts,
                             form: MetricsFileForm? = nil, workers: Int = 1,
                             inspect: (CellSummary) -> Void = { _ in }) throws {
        try checkWritable(configHash: experiment.hash)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw OutputError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
        let form = form ?? experiment.base.metricsFile
        // The manifest's config says the form the files are in.
        let experiment = experiment.base.metricsFile == form ? experiment : experiment.writing(form)
        // A stream dropped on an error removes its temporary file (its deinit).
        let metrics = try form.sink(in: url)
        let summary = try AtomicFile.Stream(url.appendingPathComponent(Self.summaryFile))
        let events = try AtomicFile.Stream(url.appendingPathComponent(EventsTable.file))
        let sinks: [any TableSink] = [metrics, summary, events].compactMap { $0 }
        var cellEntries: [String: JSONValue] = [:]
        do {
            var header = CSVBytes()
            header.append(MetricsTable.header + "\n")
            try metrics?.write(&header)
            try summary.write(SummaryTable.header + "\n")
            try events.write(EventsTable.header + "\n")
            for cell in experiment.cells.sorted(by: { $0.id < $1.id }) {
                let result = try CellResultsWriter(cell: cell, journal: journal, workers: max(1, workers))
                    .write(metrics: metrics, summary: summary, events: events)
                cellEntries[cell.id] = Manifest.cellEntry(result)
                inspect(result)
            }
            for sink in sinks { try sink.commit() }
        } catch {
            for sink in sinks { sink.discard() }
            throw error
        }
        try AtomicFile.write(CellsTable.csv(experiment), to: url.appendingPathComponent(Self.cellsFile))
        // The table of another form, from an earlier writing of these results (the same
        // values: the hash is the same), goes, so the folder holds what its manifest lists.
        for other in MetricsFileForm.allCases where other != form {
            if let name = other.fileName { unlink(url.appendingPathComponent(name).path) }
        }
        var files = [form.fileName, Self.summaryFile, Self.cellsFile, EventsTable.file].compactMap { $0 }
        if experiment.cells.contains(where: { !$0.config.snapshots.isEmpty }) {
            // Replicate 0 of each cell run again from its stream (see ExperimentRunner.snapshots()).
            let snapshots = ExperimentRunner(experiment: experiment, jobs: 1).snapshots()
            try AtomicFile.write(SamplesTable.csv(snapshots), to: url.appendingPathComponent(SamplesTable.file))
            files.append(SamplesTable.file)
        }
        let manifest = Manifest.build(experiment: experiment, cells: experiment.cells.map { cellEntries[$0.id]! },
                                      files: files, facts: facts)
        try AtomicFile.write(manifest.jsonText(pretty: true) + "\n", to: url.appendingPathComponent(Self.manifestFile))
    }
}
