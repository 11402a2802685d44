/// One generation's output batch, kept for `samples.csv` and the report's histograms.
public struct Snapshot: Equatable, Sendable {
    public var generation: Int
    /// Values per observation (see ``TrainingData/snapshotWidth``).
    public var width: Int
    /// Row-major `count × width`.
    public var values: [Double]

    public var count: Int { width == 0 ? 0 : values.count / width }
}

extension ExperimentRunner {
    /// The snapshots of replicate 0 of every cell at the config's `output.snapshots`
    /// generations, by cell id. Chains are deterministic given their stream, so
    /// replicate 0 is simply run again with its batches kept: the main run stores no
    /// samples, and shards or resumed runs give the same snapshots.
    public func snapshots() -> [String: [Snapshot]] {
        GSLRuntime.ensureConfigured()
        var out: [String: [Snapshot]] = [:]
        for cell in cells where !cell.config.snapshots.isEmpty {
            out[cell.id] = cell.config.chainRunner().snapshots(
                key: cell.streamKey(replicate: 0), replicate: 0, generations: Set(cell.config.snapshots))
        }
        return out
    }
}
