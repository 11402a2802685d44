import ArgumentParser
import CollapseKit
import Foundation

/// `collapse run [CONFIG]`: run every chain and write metrics.csv, summary.csv and
/// manifest.json.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment (the built-in quickstart when no config is given).")

    @Argument(help: "Experiment config (YAML or JSON). Omit it to run the quickstart.")
    var config: String?

    @Option(help: "Output folder (default: results/<name>).")
    var out: String?

    @Option(help: "Worker threads (default: all cores).")
    var jobs: Int?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a field: key.path=value.", valueName: "key=value"))
    var overrides: [String] = []

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs: got \(jobs); allowed: an integer ≥ 1") }
    }

    func run() throws {
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let experiment = try loadConfig(path: config, overrides: overrides)
        let folder = OutputFolder(path: out ?? "results/\(experiment.name)")
        do {
            try folder.checkWritable(configHash: experiment.hash)
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }

        let started = Date()
        let runner = ExperimentRunner(config: experiment, jobs: jobs)
        let results = runner.run()
        let finished = Date()
        let facts = RunFacts(toolVersion: Collapse.version, gitCommit: GitInfo.commit(), startedAt: started,
                             finishedAt: finished, jobs: jobs, command: CommandLine.arguments)
        let manifest = Manifest.build(config: experiment, results: results, facts: facts)
        do {
            let samples = experiment.snapshots.isEmpty ? [] : [(SamplesTable.file, SamplesTable.csv(runner.snapshots()))]
            try folder.write(results: results, manifest: manifest, configHash: experiment.hash, extraFiles: samples)
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }

        guard !quiet else { return }
        let seconds = finished.timeIntervalSince(started)
        let degenerate = results.flatMap(\.chains).filter { $0.status != .ok }.count
        print("ran \(runner.chainCount) chains (\(experiment.replicates) replicates × \(experiment.generations + 1) generations, n = \(experiment.samples)) in \(String(format: "%.2f", seconds)) s on \(jobs) worker\(jobs == 1 ? "" : "s")")
        if degenerate > 0 { print("\(degenerate) chains degenerated or failed: see manifest.json (cells[].events)") }
        if config == nil, let cell = results.first {
            print()
            print(Quickstart.table(cell, config: experiment))
            print()
        }
        print("wrote \(folder.url.path)/{metrics.csv, summary.csv, \(experiment.snapshots.isEmpty ? "" : "samples.csv, ")manifest.json}")
    }
}
