import CollapseKit

/// Refuses a run whose ``MemoryEstimate`` exceeds the machine's physical memory
/// (`collapse run` before it writes anything; `--force` skips the check).
enum MemoryCheck {
    /// The refusal's message, or nil when the estimate fits in `available` bytes.
    static func refusal(_ experiment: Experiment, jobs: Int,
                        available: Double = MemoryEstimate.physicalMemory) -> String? {
        let estimate = MemoryEstimate(experiment: experiment, jobs: jobs)
        guard estimate.bytes > available else { return nil }
        let d = MemoryEstimate.describe
        return "the run needs an estimated \(d(estimate.bytes)) of memory (\(d(estimate.perChain)) a chain × \(estimate.workers) worker\(estimate.workers == 1 ? "" : "s") + \(d(estimate.shared)) of results), more than this machine's \(d(available)); lower samples, generations, replicates or --jobs, or use --force to run anyway"
    }
}
