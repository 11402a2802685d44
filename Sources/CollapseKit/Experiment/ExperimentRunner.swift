import Dispatch
import Synchronization

/// Runs the chains (cell × replicate) of an experiment over `jobs` workers. Each
/// chain draws only from its own stream, so the results are the same for any number
/// of workers and any finishing order.
public struct ExperimentRunner: Sendable {
    public let cells: [Cell]
    public let jobs: Int

    /// A runner over every cell of an experiment.
    public init(experiment: Experiment, jobs: Int) {
        self.cells = experiment.cells
        self.jobs = max(1, jobs)
    }

    /// Runs the given chains over `jobs` workers, handing each finished chain to
    /// `finished` (called concurrently from the workers). Workers take chains in the
    /// order given. Each chain asks `shouldStop` before every generation: once it
    /// returns true no new chain is started and the running ones are abandoned at their
    /// next generation, without reaching `finished` (run again, they start over).
    /// `counter` (for at least `jobs` workers) counts the generations as they are done.
    /// Results do not depend on the number of workers: each chain draws only from its
    /// own stream.
    public func run(_ chains: [ChainRef], shouldStop: @Sendable () -> Bool,
                    counter: GenerationCounter? = nil,
                    finished: @Sendable (ChainRef, ChainResult) -> Void) {
        GSLRuntime.ensureConfigured()
        guard !chains.isEmpty else { return }
        precondition(counter.map { $0.workers >= min(jobs, chains.count) } ?? true,
                     "a GenerationCounter for \(counter?.workers ?? 0) workers cannot count \(jobs)")
        let used = Set(chains.map(\.cell))
        let runners = cells.indices.map { used.contains($0) ? cells[$0].config.chainRunner() : nil }
        let next = Atomic<Int>(0)
        let total = chains.count
        // The chains hold `shouldStop` only while this call runs.
        withoutActuallyEscaping(shouldStop) { shouldStop in
            DispatchQueue.concurrentPerform(iterations: min(jobs, total)) { worker in
                let control = ChainControl(shouldStop: shouldStop, counter: counter?.slot(worker))
                while !shouldStop() {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if i >= total { return }
                    let chain = chains[i]
                    let cell = cells[chain.cell]
                    guard let result = runners[chain.cell]!.run(key: cell.streamKey(replicate: chain.replicate),
                                                                replicate: chain.replicate, control: control) else { return }
                    finished(chain, result)
                }
            }
        }
    }

    /// Runs every chain of every cell (through ``run(_:shouldStop:finished:)``) and
    /// returns them by cell, replicates in order: for callers that want the results in
    /// memory (the demo, `collapse bench`, tests).
    public func results() -> [CellResult] {
        let chains = ChainRef.all(in: cells)
        let store = Mutex<[ChainResult?]>(Array(repeating: nil, count: chains.count))
        run(chains, shouldStop: { false }, finished: { chain, result in store.withLock { $0[chain.index] = result } })
        let all = store.withLock { $0.map { $0! } }
        var offset = 0
        return cells.map { cell in
            let mine = Array(all[offset..<(offset + cell.config.replicates)])
            offset += cell.config.replicates
            return CellResult(cell: cell, metrics: cell.config.metrics, chains: mine)
        }
    }
}

extension ExperimentConfig {
    /// The type-erased chain runner of this config's family (its descriptor builds it).
    func chainRunner() -> AnyChainRunner { model.descriptor.makeRunner(self) }
}

/// The chain runners a family descriptor builds: one ``ChainLoop`` on the
/// representation the config allows.
public enum ChainRunners {
    /// A family without sufficient statistics: its chains run on points.
    public static func make<F: GenerativeFamily>(_ family: F, config: ExperimentConfig) -> AnyChainRunner {
        AnyChainRunner(loop(PointsRepresentation(family: family), config: config))
    }

    /// A family with sufficient statistics runs on them unless the policy, a step or a
    /// metric needs the training points (then on points); `exact` draws them exactly.
    static func make<F: SufficientStatisticFamily>(_ family: F, config: ExperimentConfig,
                                                   exact: ExactDraws<F>?) -> AnyChainRunner {
        if config.trainingPointsReason != nil { return AnyChainRunner(loop(PointsRepresentation(family: family), config: config)) }
        return AnyChainRunner(loop(StatisticsRepresentation(family: family, exact: exact), config: config))
    }

    /// A family with sufficient statistics and no exact sampler.
    public static func make<F: SufficientStatisticFamily>(_ family: F, config: ExperimentConfig) -> AnyChainRunner {
        make(family, config: config, exact: nil)
    }

    /// A family with exact statistics: `sampler: statistics` draws them.
    public static func make<F: ExactStatisticFamily>(_ family: F, config: ExperimentConfig) -> AnyChainRunner {
        make(family, config: config, exact: config.sampler == .statistics ? ExactDraws(family) : nil)
    }

    static func loop<R: ChainRepresentation>(_ representation: R, config: ExperimentConfig) -> ChainLoop<R> {
        let available = R.Family.metrics(real: config.real) + StepMetrics.metrics(for: R.Family.self)
        let metrics = config.metrics.map { name in available.first { $0.name == name }! }
        var loop = ChainLoop(representation: representation, policy: config.policy, samples: config.samples,
                             generations: config.generations, metrics: metrics, heldout: config.heldout ?? 0,
                             algorithm: config.rng)
        loop.privacy = config.privacy ?? PrivacyConfig()
        loop.utility = config.utility
        if let rule = config.collapse, let index = config.metrics.firstIndex(of: rule.metric) {
            loop.threshold = (index, rule)
        }
        return loop
    }
}

/// A chain runner with its family erased, so cells of different families can sit
/// in one list.
public struct AnyChainRunner: Sendable {
    private let body: @Sendable (StreamKey, Int, ChainControl) -> ChainResult?
    private let snapshotBody: @Sendable (StreamKey, Int, Set<Int>) -> [Snapshot]

    init<R: ChainRepresentation>(_ loop: ChainLoop<R>) {
        body = { loop.run(key: $0, replicate: $1, control: $2) }
        snapshotBody = { key, replicate, generations in
            var out: [Snapshot] = []
            _ = loop.run(key: key, replicate: replicate) { t, output in
                if generations.contains(t) {
                    out.append(Snapshot(generation: t, width: output.snapshotWidth, values: output.snapshotValues))
                }
            }
            return out
        }
    }

    func run(key: StreamKey, replicate: Int) -> ChainResult { body(key, replicate, .never)! }
    /// Runs the chain under `control`: nil when it was told to stop.
    func run(key: StreamKey, replicate: Int, control: ChainControl) -> ChainResult? { body(key, replicate, control) }
    /// Runs the chain again, keeping the output batches of `generations`.
    func snapshots(key: StreamKey, replicate: Int, generations: Set<Int>) -> [Snapshot] {
        snapshotBody(key, replicate, generations)
    }
}
