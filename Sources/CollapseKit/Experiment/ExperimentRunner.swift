import Dispatch
import Synchronization

/// Runs every chain (cell × replicate) of an experiment over `jobs` workers. Each
/// chain draws only from its own stream, so the results are the same for any number
/// of workers and any finishing order.
public struct ExperimentRunner: Sendable {
    public let cells: [Cell]
    public let jobs: Int

    public init(config: ExperimentConfig, jobs: Int) {
        self.cells = [Cell(parameters: [:], config: config)]
        self.jobs = max(1, jobs)
    }

    public var chainCount: Int { cells.reduce(0) { $0 + $1.config.replicates } }

    /// Runs all chains.
    public func run() -> [CellResult] {
        GSLRuntime.ensureConfigured()
        let tasks: [(cell: Int, replicate: Int)] = cells.indices.flatMap { c in
            (0..<cells[c].config.replicates).map { (c, $0) }
        }
        let runners = cells.map { Self.chainRunner(for: $0.config) }
        let next = Atomic<Int>(0)
        let store = Mutex<[ChainResult?]>(Array(repeating: nil, count: tasks.count))
        let total = tasks.count
        let workers = min(jobs, max(total, 1))

        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if i >= total { return }
                let (c, r) = tasks[i]
                let result = runners[c].run(key: cells[c].streamKey(replicate: r), replicate: r)
                store.withLock { $0[i] = result }
            }
        }

        let results = store.withLock { $0.map { $0! } }
        var offset = 0
        return cells.enumerated().map { c, cell in
            let chains = Array(results[offset..<(offset + cell.config.replicates)])
            offset += cell.config.replicates
            return CellResult(cell: cell, metrics: cell.config.metrics, chains: chains)
        }
    }

    /// The type-erased chain runner for a config's family.
    static func chainRunner(for config: ExperimentConfig) -> AnyChainRunner {
        func runner<F: GenerativeFamily>(_ family: F) -> AnyChainRunner {
            AnyChainRunner(ChainRunner(family: family, policy: config.policy, samples: config.samples,
                                       generations: config.generations, metrics: config.metrics,
                                       algorithm: config.rng))
        }
        // Families with sufficient statistics run on them (ChainRunner keeps the points
        // for accumulate_subsample, which subsamples them).
        func statisticsRunner<F: SufficientStatisticFamily>(_ family: F, exact: ExactDraws<F>?) -> AnyChainRunner {
            if config.policy.kind == .accumulateSubsample { return runner(family) }
            return AnyChainRunner(StatisticsChainRunner(
                family: family, policy: config.policy, samples: config.samples,
                generations: config.generations, metrics: config.metrics, algorithm: config.rng,
                exact: exact))
        }
        func statisticsRunner<F: ExactStatisticFamily>(_ family: F) -> AnyChainRunner {
            statisticsRunner(family, exact: config.sampler == .statistics ? ExactDraws(family) : nil)
        }
        // Validation built this same reference, so it cannot fail here.
        let reference = { try! RealReference(config.real.makeDistribution()!) }
        let temperature = config.sampling.temperature
        switch config.model {
        case .gaussian(let estimator):
            return statisticsRunner(GaussianFamily(real: reference(), estimator: estimator, temperature: temperature))
        case .categorical(let smoothing):
            return statisticsRunner(CategoricalFamily(probabilities: config.real.probabilities!, smoothing: smoothing,
                                            temperature: temperature, topK: config.sampling.topK,
                                            topP: config.sampling.topP))
        case .kde(let bandwidth):
            return runner(KernelDensityFamily(real: reference(), bandwidth: bandwidth,
                                              temperature: temperature, heldout: config.heldout!))
        case .gmm(let options):
            return runner(GaussianMixtureFamily(real: reference(), options: options,
                                                temperature: temperature, heldout: config.heldout!))
        case .linearRegression(let design):
            guard case .linear(let d, let noiseSD, let weights) = config.real else {
                preconditionFailure("validated: linear_regression has real distribution linear")
            }
            return statisticsRunner(LinearRegressionFamily(dimension: d, noiseSD: noiseSD, weights: weights,
                                                           design: design, temperature: temperature,
                                                           samples: config.samples), exact: nil)
        }
    }
}

/// What runs one chain: ``ChainRunner`` or ``StatisticsChainRunner``.
protocol ChainRunning: Sendable {
    associatedtype Data: TrainingData
    /// Runs the chain; `observe` (if given) sees every generation's output batch.
    func run(key: StreamKey, replicate: Int, observe: ((Int, Data) -> Void)?) -> ChainResult
}

extension ChainRunner: ChainRunning {}
extension StatisticsChainRunner: ChainRunning {}

/// A chain runner with its family erased, so cells of different families can sit
/// in one list.
struct AnyChainRunner: Sendable {
    private let body: @Sendable (StreamKey, Int) -> ChainResult
    private let snapshotBody: @Sendable (StreamKey, Int, Set<Int>) -> [Snapshot]
    init<R: ChainRunning>(_ runner: R) {
        body = { runner.run(key: $0, replicate: $1, observe: nil) }
        snapshotBody = { key, replicate, generations in
            var out: [Snapshot] = []
            _ = runner.run(key: key, replicate: replicate) { t, output in
                if generations.contains(t) {
                    out.append(Snapshot(generation: t, width: output.snapshotWidth, values: output.snapshotValues))
                }
            }
            return out
        }
    }
    func run(key: StreamKey, replicate: Int) -> ChainResult { body(key, replicate) }
    /// Runs the chain again, keeping the output batches of `generations`.
    func snapshots(key: StreamKey, replicate: Int, generations: Set<Int>) -> [Snapshot] {
        snapshotBody(key, replicate, generations)
    }
}
