import Foundation

extension BenchmarkSuite {
    /// The kernels of the output path, one per `output.metrics_file` form.
    static let outputKernels = ["output.csv", "output.csv.gz", "output.none"]

    /// The output path of a finished run, timed alone: 20,000 chains (2,000 quick) ×
    /// 101 generations × 3 metrics of exact-statistics Gaussian chains, run once
    /// beforehand, then per timing: every chain journaled (records, `write(2)`), the
    /// journal indexed, and the result files written in `form` (``OutputFolder``), in a
    /// fresh temporary folder. Rate: values per second; the setup names the bytes a
    /// value of the per-replicate file.
    func outputWrite(form: MetricsFileForm) throws -> BenchmarkResult {
        let replicates = quick ? 2000 : 20_000
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let yaml = """
        name: bench-output
        replicates: \(replicates)
        generations: 100
        samples: 100
        model: { family: gaussian, estimator: mle }
        policy: { kind: replace }
        metrics: [mean, variance, w2]
        sampler: statistics
        output: { metrics_file: \(form.rawValue) }
        """
        let experiment = try ConfigLoader.parseExperiment(text: yaml, source: "bench")
        let cell = experiment.cells[0]
        let chains = ExperimentRunner(experiment: experiment, jobs: 2).results()[0].chains
        let values = chains.reduce(0) { $0 + $1.values.count }
        let facts = RunFacts(toolVersion: "bench", gitCommit: nil, startedAt: Date(), finishedAt: Date(), jobs: 1, command: [])
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("collapse-bench-output-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        var bytes = 0
        var failure: (any Error)?
        let seconds = median {
            do {
                try? FileManager.default.removeItem(at: root)
                let folder = OutputFolder(path: root.path)
                try folder.state.writeInfo(experiment: experiment, shard: nil)
                let writer = try JournalWriter(directory: folder.state.journalDirectory)
                for chain in chains { try writer.append(ChainJournal.record(cellKey: cell.key, chain: chain)) }
                writer.close()
                try folder.writeResults(experiment: experiment, journal: try JournalIndex(folder: root), facts: facts,
                                        workers: workers)
                bytes = form.fileName.flatMap {
                    (try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent($0).path))?[.size] as? Int
                } ?? 0
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        let perValue = form == .none ? "no per-replicate file" : String(format: "%.2f bytes/value", Double(bytes) / Double(values))
        return BenchmarkResult(kernel: "output.\(form.rawValue)",
                               setup: "journal + index + results of \(replicates) × 101 × 3 = \(values) values, metrics_file \(form.rawValue), \(workers) thread\(workers == 1 ? "" : "s"): \(perValue)",
                               rate: Double(values) / seconds, unit: "values/s", reference: nil, referenceName: nil)
    }
}
