import ArgumentParser
import CollapseKit
import Foundation

/// `collapse run [CONFIG]`: run every chain (or one shard of them) and write
/// metrics.csv, summary.csv, cells.csv and manifest.json. Resumable: finished chains
/// are journaled in the output folder, and running the same command again skips them.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment (the built-in quickstart when no config is given).",
        discussion: "Rerun the same command after an interruption to resume: finished chains are not recomputed.")

    @Argument(help: "Experiment config (YAML or JSON). Omit it to run the quickstart.")
    var config: String?

    @OptionGroup var output: OutputOption

    @Option(help: "Worker threads (default: all cores).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Run only shard k of N (chains whose index mod N = k − 1) into its own --out; combine the shards with `collapse merge`.", valueName: "k/N"))
    var shard: String?

    @OptionGroup var configOptions: ConfigOptions

    @Flag(help: "Print nothing but errors (no progress).")
    var quiet = false

    @Flag(help: "Run even when the estimated memory exceeds the machine's.")
    var force = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs: got \(jobs); allowed: an integer ≥ 1") }
        if let shard, Shard(shard) == nil {
            throw ValidationError("--shard: got '\(shard)'; allowed: k/N with 1 ≤ k ≤ N, e.g. 2/8")
        }
    }

    func run() throws {
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let experiment = try configOptions.loadExperiment(path: config)
        if !force, let refusal = MemoryCheck.refusal(experiment, jobs: jobs) {
            throw fail("invalid config \(config ?? "the built-in quickstart"): \(refusal)", code: ExitCodes.badConfig)
        }
        // External generators: started and greeted before any chain; stopped at the end,
        // however the run ends.
        defer { ExternalGenerators.shutdown() }
        Interrupt.install { ExternalGenerators.stopAll() }
        do {
            try experiment.prepareFamilies()
        } catch let e as ExternalStartError {
            // A stop during hello kills the program: that is the interrupt, not its failure.
            if Interrupt.requested { throw fail("interrupted before any chain started", code: ExitCodes.interrupted) }
            throw fail(e.description, code: ExitCodes.generatorFailed)
        }

        let shard = self.shard.flatMap(Shard.init)
        let folderPath = output.path(for: experiment, suffix: shard.map { "/\(OutputFolder.shardsFolder)/\($0.index)" } ?? "")
        let folder = OutputFolder(path: folderPath)
        let session: ResumableRun
        do {
            session = try ResumableRun(experiment: experiment, folder: folder, shard: shard)
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }

        let started = Date()
        let total = session.planned.count
        let what = shard.map { "shard \($0): " } ?? ""
        if !quiet, session.resumed > 0 {
            note("\(what)resuming: \(session.resumed) of \(total) chains already done in \(folder.url.path)")
        }
        let progress = Progress(generations: session.plannedGenerations, initial: session.resumedGenerations,
                                chains: total, initialChains: session.resumed, workers: jobs)
        if !quiet, session.resumed < total { progress.start() }
        let complete: Bool
        do {
            complete = try session.run(jobs: jobs, shouldStop: { Interrupt.requested }, counter: progress.counter,
                                       progress: progress.chainFinished)
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }
        if !quiet, session.resumed < total { progress.stop() }
        let done = session.planned.filter(session.isFinished).count
        if !complete {
            throw fail("interrupted: \(done) of \(total) chains are done and saved in \(folder.url.path)/.collapse; run the same command again to resume:\n  \(ResumeCommand.current.text)",
                       code: ExitCodes.interrupted)
        }

        let finished = Date()
        let facts = RunFacts(toolVersion: Collapse.version, gitCommit: BuildStamp.gitCommit, startedAt: started,
                             finishedAt: finished, jobs: jobs, command: CommandLine.arguments)
        var firstCell: CellSummary?
        var notOK = 0
        var generatorFailures: [ChainEvent] = []
        do {
            try session.finish(facts: facts, workers: jobs) { cell in
                // Kept only for the built-in quickstart's table.
                if firstCell == nil, config == nil { firstCell = cell }
                notOK += cell.notOK
                generatorFailures += cell.events.filter { $0.kind == .generatorFailed }
            }
            if shard != nil { generatorFailures = try session.generatorFailures() }
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }

        // One line per kind of generator failure, even when quiet: they set the exit code.
        let failureLines = GeneratorFailureSummary.lines(generatorFailures)
        for line in failureLines { note(line) }
        if !quiet {
            summarize(experiment: experiment, jobs: jobs, folder: folder, folderPath: folderPath, shard: shard, what: what,
                      seconds: finished.timeIntervalSince(started), ran: total - session.resumed,
                      resumed: session.resumed, notOK: notOK, firstCell: firstCell)
        }
        if !failureLines.isEmpty { throw ExitCode(ExitCodes.generatorFailed) }
    }

    /// The lines a finished run prints.
    private func summarize(experiment: Experiment, jobs: Int, folder: OutputFolder, folderPath: String, shard: Shard?, what: String,
                           seconds: Double, ran: Int, resumed: Int, notOK: Int, firstCell: CellSummary?) {
        let cells = experiment.cells.count
        let base = experiment.base
        print("\(what)ran \(ran) chains\(cells > 1 ? " in \(cells) cells" : "") (\(base.replicates) replicates × \(base.generations + 1) generations, n = \(base.samples)\(cells > 1 ? " in the first cell" : "")) in \(String(format: "%.2f", seconds)) s on \(jobs) worker\(jobs == 1 ? "" : "s")\(resumed > 0 ? "; \(resumed) were already done" : "")")
        if let shard {
            let hint = MergeHint(shard: shard, folder: folderPath, isDefault: output.out == nil, experimentName: experiment.name)
            print("wrote \(folder.url.path) (shard \(shard)); \(hint.text)")
            return
        }
        if notOK > 0 { print("\(notOK) chains degenerated or failed: see manifest.json (cells[].events)") }
        if config == nil, let cell = firstCell {
            print()
            print(QuickstartTable.table(cell, config: experiment.base))
            print()
        }
        let samples = experiment.cells.contains { !$0.config.snapshots.isEmpty } ? "samples.csv, " : ""
        let metrics = experiment.base.metricsFile.fileName.map { "\($0), " } ?? ""
        print("wrote \(folder.url.path)/{\(metrics)summary.csv, cells.csv, events.csv, \(samples)manifest.json}")
    }
}

/// The one-line summaries of a run's `generator_failed` events, one per failure kind
/// (the first word of the event's message): how many chains, and the first message.
enum GeneratorFailureSummary {
    static func lines(_ events: [ChainEvent]) -> [String] {
        var order: [String] = []
        var byKind: [String: (count: Int, first: String)] = [:]
        for e in events {
            let message = e.message ?? "generator failed"
            let firstLine = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? message
            let kind = firstLine.split(separator: ":", maxSplits: 1).first.map(String.init) ?? firstLine
            if byKind[kind] == nil { order.append(kind) }
            byKind[kind, default: (0, firstLine)].count += 1
        }
        return order.map { kind in
            let (count, first) = byKind[kind]!
            return "generator_failed (\(kind)): \(count) chain\(count == 1 ? "" : "s") stopped; first: \(first)"
        }
    }
}

/// A line on stderr.
func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Quotes a word for a POSIX shell when it needs it.
func shellQuote(_ s: String) -> String {
    let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
    if !s.isEmpty, s.unicodeScalars.allSatisfy(safe.contains) { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
