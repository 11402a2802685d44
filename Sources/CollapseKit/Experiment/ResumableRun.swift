import Foundation
import Synchronization

/// One invocation of `collapse run` on an output folder: it takes the folder's lock,
/// records the experiment in `.collapse/run.json`, reads which chains the journal
/// already holds, runs the rest (appending each to a new journal file as it
/// finishes) and, once every chain is in, writes the result files from the journal.
/// Killed at any point, the same command picks up where it stopped.
public final class ResumableRun {
    public let experiment: Experiment
    public let folder: OutputFolder
    public let shard: Shard?
    /// The chains this run (or shard) is responsible for, in global order.
    public let planned: [ChainRef]
    /// Where the journal records of finished chains are.
    public let journal: JournalIndex
    /// Torn or corrupt journal bytes skipped when the folder was opened.
    public let ignoredBytes: Int
    /// Chains already finished when the folder was opened.
    public let resumed: Int
    /// Generations of the planned chains: G + 1 each, G its cell's.
    public let plannedGenerations: Int
    /// Generations of the chains already finished when the folder was opened.
    public let resumedGenerations: Int
    private let lockDescriptor: Int32

    public init(experiment: Experiment, folder: OutputFolder, shard: Shard?) throws {
        self.experiment = experiment
        self.folder = folder
        self.shard = shard
        try folder.checkWritable(configHash: experiment.hash, shard: shard)
        let state = folder.state
        lockDescriptor = try state.lock()
        // Another run may have claimed the folder between the check and the lock.
        do {
            if state.readInfo() != nil {
                try folder.checkWritable(configHash: experiment.hash, shard: shard)
            } else {
                try state.writeInfo(experiment: experiment, shard: shard)
            }
        } catch {
            close(lockDescriptor)
            throw error
        }
        let journal = try JournalIndex(folder: folder.url)
        let planned = experiment.chains.filter { shard?.contains($0) ?? true }
        self.journal = journal
        ignoredBytes = journal.ignoredBytes
        self.planned = planned
        let done = planned.filter { journal.contains(experiment.key($0)) }
        resumed = done.count
        plannedGenerations = experiment.generations(of: planned)
        resumedGenerations = experiment.generations(of: done)
    }

    deinit { close(lockDescriptor) }

    /// The planned chains not finished yet.
    public var pending: [ChainRef] { planned.filter { !isFinished($0) } }

    /// Whether `chain` is in the journal.
    public func isFinished(_ chain: ChainRef) -> Bool { journal.contains(experiment.key(chain)) }

    /// Runs the pending chains; `progress` is called after each one is journaled, and
    /// `counter` (for at least `jobs` workers) counts their generations as they run.
    /// Returns true when every planned chain is finished, false if `shouldStop` cut the
    /// run short: it is asked before every generation, and the chains running when it
    /// turns true are abandoned unjournaled (a rerun starts them over, so the results
    /// stay those of an uninterrupted run).
    public func run(jobs: Int, shouldStop: @escaping @Sendable () -> Bool, counter: GenerationCounter? = nil,
                    progress: @escaping @Sendable () -> Void) throws -> Bool {
        let todo = pending
        if todo.isEmpty { return true }
        let writer = try JournalWriter(directory: folder.state.journalDirectory)
        let failure = Mutex<(any Error)?>(nil)
        let written = Mutex<[(key: ChainKey, offset: Int, length: Int)]>([])
        // Read before every generation: an atomic, not the mutex.
        let failed = Atomic<Bool>(false)
        let experiment = self.experiment
        ExperimentRunner(experiment: experiment, jobs: jobs).run(
            todo, shouldStop: { failed.load(ordering: .relaxed) || shouldStop() }, counter: counter,
            finished: { chain, result in
                do {
                    let record = ChainJournal.record(cellKey: experiment.cells[chain.cell].key, chain: result)
                    let offset = try writer.append(record)
                    written.withLock { $0.append((experiment.key(chain), offset, record.count)) }
                    progress()
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    failed.store(true, ordering: .relaxed)
                }
            })
        writer.close()
        if let error = failure.withLock({ $0 }) { throw error }
        // Only this run's own file is new (the others are indexed already), and where
        // each of its records is is known without reading it back.
        journal.add(written: writer.path, label: folder.url.path, records: written.withLock { $0 })
        return pending.isEmpty
    }

    /// Writes the results (a whole run) or the shard's manifest (a shard: its chains
    /// stay in the journal until `collapse merge`).
    public func finish(facts: RunFacts, workers: Int = 1, inspect: (CellSummary) -> Void = { _ in }) throws {
        if let shard {
            let manifest = Manifest.build(experiment: experiment, cells: [], files: [], facts: facts, shard: shard)
            try AtomicFile.write(manifest.jsonText(pretty: true) + "\n",
                                 to: folder.url.appendingPathComponent(OutputFolder.manifestFile))
        } else {
            try folder.writeResults(experiment: experiment, journal: journal, facts: facts, workers: workers, inspect: inspect)
        }
    }

    /// The `generator_failed` events of the planned chains, in chain order, read back
    /// from the journal (a shard writes no cell summaries to inspect). Empty, without
    /// reading anything, when no cell's family can fail that way.
    public func generatorFailures() throws -> [ChainEvent] {
        guard experiment.cells.contains(where: { $0.config.model.descriptor.canFailInGenerator }) else { return [] }
        var out: [ChainEvent] = []
        for chain in planned {
            guard let location = journal[experiment.key(chain)] else { continue }
            out += try journal.chain(at: location).events.filter { $0.kind == .generatorFailed }
        }
        return out
    }
}

extension Experiment {
    /// The key of a chain across runs: (cell key, replicate).
    public func key(_ chain: ChainRef) -> ChainKey {
        ChainKey(cell: cells[chain.cell].key, replicate: chain.replicate)
    }

    /// The generations of `chains`: G + 1 each, G their cell's.
    public func generations(of chains: [ChainRef]) -> Int {
        chains.reduce(0) { $0 + cells[$1.cell].config.generations + 1 }
    }
}
