import Foundation

/// A run's memory, estimated from its config before anything runs, so that a config
/// far beyond the machine is refused at once (`collapse run`, unless `--force`) rather
/// than failing hours in.
///
/// It counts what a run certainly holds at its peak (models, a family's sufficient
/// statistics and allocator slack are not counted, so the real peak is higher):
///
/// - per chain in flight, one per worker (`min(jobs, chains)`), the largest over the
///   cells of: the largest training set (max over t of the policy's training-set size),
///   the policy's pool beside it (`accumulate_subsample`), the output batch, R₀ (when kept) and the
///   held-out sample, each at the family's bytes per point (8d for d doubles), and the
///   chain's metric rows, (G + 1) × metrics × 8 bytes. Under `sampler: statistics` the
///   training sets and batches are statistics and not counted; R₀ is, when the policy
///   draws from its points.
/// - for the whole run, what writing the results holds (the files are streamed, see
///   ``OutputFolder/writeResults``), the largest over the cells: the summary block, of
///   the ``CellResultsWriter`` budget or one generation (R × metrics values) if that is
///   more, at most the cell, 8 bytes a value; and two batches of chains' CSV text (one
///   being written while the next is formatted), each
///   ``CellResultsWriter/batchValues(valuesPerChain:workers:)`` values (at most the
///   cell) at ``textBytesPerValue``; plus the journal index, ``indexBytesPerChain`` a chain, and
///   the chain list, 24 bytes a chain, held twice (planned and pending).
public struct MemoryEstimate: Sendable {
    /// Bytes of the largest chain (over the cells).
    public let perChain: Double
    /// Chains in flight at once.
    public let workers: Int
    /// Bytes held for the whole run (summary block, journal index, chain lists).
    public let shared: Double

    /// The estimate, in bytes.
    public var bytes: Double { perChain * Double(workers) + shared }

    public init(experiment: Experiment, jobs: Int) {
        let chains = experiment.chainCount
        perChain = experiment.cells.map { Self.chainBytes($0.config) }.max() ?? 0
        workers = max(1, min(jobs, chains))
        let writing = experiment.cells.map { cell -> Double in
            let c = cell.config
            let m = c.metrics.count, perChain = (c.generations + 1) * m
            let values = Double(c.replicates) * Double(perChain)
            let block = min(values, Double(max(CellResultsWriter.defaultBudget, c.replicates * m)))
            // Two batches' text at most: one written while the next is formatted.
            let text = min(values, 2 * Double(CellResultsWriter.batchValues(valuesPerChain: perChain, workers: max(1, jobs))))
            return 8 * block + Self.textBytesPerValue * text
        }.max() ?? 0
        shared = writing + (Self.indexBytesPerChain + 2 * 24) * Double(chains)
    }

    /// A chain's entry in the journal index: key and location (40 bytes) in a
    /// dictionary at its load factor.
    static let indexBytesPerChain = 80.0
    /// A metrics.csv row's text, about 51 bytes a value, with room.
    static let textBytesPerValue = 56.0

    /// Bytes one chain of `config` holds at its peak.
    static func chainBytes(_ config: ExperimentConfig) -> Double {
        let family = config.model.descriptor
        let point = Double(family.bytesPerPoint(dimension: config.dimension))
        let rule = config.policy.rule
        let n = config.samples, G = config.generations
        let needs = family.metrics(real: config.real).filter { config.metrics.contains($0.name) }
            .reduce(into: MetricNeeds()) { $0.formUnion($1.needs) }
        var points = 0.0
        if config.sampler == .samples {
            var largest = n
            for t in stride(from: 1, through: G, by: 1) {
                largest = max(largest, rule.trainingSize(generation: t, generations: G, samples: n)
                              + rule.poolSize(generation: t, generations: G, samples: n))
            }
            points += Double(largest)
            // The last output feeds no fit: without G ≥ 1 or a metric on it, none is drawn.
            if G >= 1 || needs.contains(.batch) { points += Double(rule.outputSize(samples: n)) }
            if rule.usesInitialRealPoints || needs.contains(.initialReal) { points += Double(n) }
        } else if rule.usesInitialRealPoints || needs.contains(.initialReal) {
            points += Double(n)
        }
        if let heldout = config.heldoutDraw, needs.contains(.heldout) { points += Double(heldout) }
        let rows = Double(G + 1) * Double(config.metrics.count) * 8
        return points * point + rows
    }

    /// The machine's physical memory, in bytes.
    public static var physicalMemory: Double { Double(ProcessInfo.processInfo.physicalMemory) }

    /// Bytes as people read them: "8.40 GB", "512 kB" (powers of 1000).
    public static func describe(_ bytes: Double) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = bytes, unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(Int(value)) bytes" }
        return String(format: value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }
}
