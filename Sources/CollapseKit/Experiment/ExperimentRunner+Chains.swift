import Dispatch
import Synchronization

extension ExperimentRunner {
    /// A runner over every cell of an experiment.
    public init(experiment: Experiment, jobs: Int) {
        self.cells = experiment.cells
        self.jobs = max(1, jobs)
    }

    /// Runs the given chains over `jobs` workers, handing each finished chain to
    /// `finished` (called concurrently from the workers). Workers take chains in the
    /// order given; once `shouldStop` returns true no new chain is started, and the
    /// chains already running finish first. Results do not depend on the number of
    /// workers: each chain draws only from its own stream.
    public func run(_ chains: [ChainRef], shouldStop: @Sendable () -> Bool,
                    finished: @Sendable (ChainRef, ChainResult) -> Void) {
        GSLRuntime.ensureConfigured()
        guard !chains.isEmpty else { return }
        let used = Set(chains.map(\.cell))
        let runners = cells.indices.map { used.contains($0) ? Self.chainRunner(for: cells[$0].config) : nil }
        let next = Atomic<Int>(0)
        let total = chains.count
        DispatchQueue.concurrentPerform(iterations: min(jobs, total)) { _ in
            while !shouldStop() {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if i >= total { return }
                let chain = chains[i]
                let cell = cells[chain.cell]
                finished(chain, runners[chain.cell]!.run(key: cell.streamKey(replicate: chain.replicate),
                                                         replicate: chain.replicate))
            }
        }
    }
}
