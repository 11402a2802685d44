import Dispatch

/// What writing one cell's results found: its chains' statuses and events and its
/// summary rows. Holds no per-replicate values.
public struct CellSummary: Sendable {
    public let cell: Cell
    public let metrics: [MetricName]
    /// `rows[g][k]`: the summary of metric k at generation g (up to the longest chain).
    public let rows: [[SummaryTable.Row]]
    public let chains: Int
    public let statusCounts: [ChainResult.Status: Int]
    /// Every chain's events, chains in replicate order, each chain's in its own order.
    public let events: [ChainEvent]

    /// The worst status among the chains.
    public var status: ChainResult.Status { statusCounts.keys.max() ?? .ok }
    public var notOK: Int { chains - (statusCounts[.ok] ?? 0) }

    /// The summary row of `metric` at generation `g`, nil past the longest chain or for a
    /// metric the cell did not compute.
    public func row(_ metric: MetricName, generation g: Int) -> SummaryTable.Row? {
        guard let k = metrics.firstIndex(of: metric), g < rows.count else { return nil }
        return rows[g][k]
    }
}

/// Writes one cell's rows of `metrics.csv` (or its gzip form), `summary.csv` and
/// `events.csv` from the journal, in memory bounded by `budget` values whatever the
/// cell's size: the chains are read one at a time (rows out as they are read), and
/// the summary, which needs each (generation, metric)'s values across replicates, is
/// computed from blocks of generations of at most `budget` values, read back from
/// the journal a slice per chain (one pass when the whole cell fits). The bytes are
/// those of ``MetricsTable``, ``SummaryTable`` and ``EventsTable`` on the whole cell.
struct CellResultsWriter {
    let cell: Cell
    let journal: JournalIndex
    /// Values held at once for the summary (8 bytes each).
    var budget = Self.defaultBudget
    /// 4 Mi values: 32 MB.
    static let defaultBudget = 1 << 22
    /// Threads that decode and format chains, and summarise (generation, metric)
    /// pairs, side by side; the bytes are the same for any number.
    var workers = 1

    /// What the workers made of a run of consecutive chains.
    private final class Piece: @unchecked Sendable {
        var metrics = CSVBytes(), events = CSVBytes()
        var counts: [Int] = []
        var statuses: [ChainResult.Status] = []
        var chainEvents: [ChainEvent] = []
        var error: (any Error)?
    }

    func write(metrics: (any TableSink)?, summary: any TableSink, events: any TableSink) throws -> CellSummary {
        let config = cell.config
        let R = config.replicates, m = config.metrics.count
        let names = config.metrics.map { Array($0.rawValue.utf8) }
        let locations = try (0..<R).map { r -> JournalIndex.Location in
            guard let location = journal[ChainKey(cell: cell.key, replicate: r)] else {
                throw OutputError.cannotWrite(path: journal.files.first ?? "the journal",
                                              reason: "chain (cell \(cell.id), replicate \(r)) is missing from the journal")
            }
            return location
        }
        let perGeneration = max(1, m * R)
        let block = max(1, min(config.generations + 1, budget / perGeneration))
        var columns = [Double](repeating: .nan, count: block * perGeneration)
        var counts = [Int](repeating: 0, count: R)
        var statusCounts: [ChainResult.Status: Int] = [:]
        var allEvents: [ChainEvent] = []
        let writeMetrics = metrics != nil
        let cellID = cell.id

        // Pass 1: every chain whole, in replicate order, a batch of chains at a time
        // split among the workers; their text is written in order. A batch holds at most
        // about 2²⁰ values' text (some 50 MB), and at least one chain a worker. While the
        // workers format a batch, the previous batch's text is written (one batch in
        // flight, so at most two batches' text exist at once).
        let valuesPerChain = max(1, (config.generations + 1) * m)
        let batch = Self.batchValues(valuesPerChain: valuesPerChain, workers: workers) / valuesPerChain
        let writer = PieceWriter(metrics: metrics, events: events)
        defer { writer.wait() }
        var r0 = 0
        while r0 < R {
            let r1 = min(R, r0 + batch)
            let pieces = (0..<workers).map { _ in Piece() }
            let share = (r1 - r0 + workers - 1) / workers
            columns.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let columns = buffer
                let first = r0
                let work: @Sendable (Int) -> Void = { w in
                    let piece = pieces[w]
                    for r in stride(from: first + w * share, to: min(r1, first + (w + 1) * share), by: 1) {
                        do {
                            var chain = try self.journal.chain(at: locations[r])
                            // Whole generations only (a record is always whole; be strict).
                            if m > 0, chain.values.count % m != 0 { chain.values.removeLast(chain.values.count % m) }
                            piece.counts.append(chain.values.count)
                            piece.statuses.append(chain.status)
                            piece.chainEvents += chain.events
                            if writeMetrics { MetricsTable.appendRows(cell: cellID, chain: chain, metricNames: names, to: &piece.metrics) }
                            EventsTable.appendRows(cell: cellID, chain: chain, to: &piece.events)
                            Self.scatter(chain.values[0..<min(chain.values.count, block * m)], replicate: r, metrics: m,
                                         replicates: R, into: columns)
                        } catch {
                            piece.error = error
                            return
                        }
                    }
                }
                if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
            }
            var r = r0
            for piece in pieces {
                if let error = piece.error { throw error }
            }
            try writer.write(pieces)
            for piece in pieces {
                for (count, status) in zip(piece.counts, piece.statuses) {
                    counts[r] = count
                    statusCounts[status, default: 0] += 1
                    r += 1
                }
                allEvents += piece.chainEvents
            }
            r0 = r1
        }

        try writer.finish()

        // The summary, a block of generations at a time.
        let generations = m == 0 ? 0 : (counts.max() ?? 0) / m
        var rows: [[SummaryTable.Row]] = []
        rows.reserveCapacity(generations)
        var text = CSVBytes()
        var g0 = 0
        while g0 < generations {
            let g1 = min(g0 + block, generations)
            if g0 > 0 {
                for i in columns.indices { columns[i] = .nan }
                var slice = [Double](repeating: 0, count: (g1 - g0) * m)
                for r in 0..<R where counts[r] > g0 * m {
                    let range = (g0 * m)..<min(counts[r], g1 * m)
                    try slice.withUnsafeMutableBufferPointer { try journal.readValues(at: locations[r], range: range, into: $0) }
                    columns.withUnsafeMutableBufferPointer {
                        Self.scatter(slice[0..<range.count], replicate: r, metrics: m, replicates: R, into: $0)
                    }
                }
            }
            let summaries = summarize(columns, pairs: (g1 - g0) * m, replicates: R)
            for g in g0..<g1 {
                let row = Array(summaries[((g - g0) * m)..<((g - g0 + 1) * m)])
                for k in 0..<m { SummaryTable.appendRow(cell: cell.id, generation: g, metric: config.metrics[k], row[k], to: &text) }
                rows.append(row)
                if text.isFull { try summary.write(&text) }
            }
            g0 = g1
        }
        try summary.write(&text)
        return CellSummary(cell: cell, metrics: config.metrics, rows: rows, chains: R,
                           statusCounts: statusCounts, events: allEvents)
    }

    /// Writes the batches' text in order on a queue of its own, one batch at a time:
    /// ``write(_:)`` waits for the previous batch's text to be written (rethrowing its
    /// error), then hands over this one's.
    private final class PieceWriter: @unchecked Sendable {
        let metrics: (any TableSink)?, events: any TableSink
        private let queue = DispatchQueue(label: "collapse.results.writer")
        private var inFlight: DispatchWorkItem?
        private var error: (any Error)?

        init(metrics: (any TableSink)?, events: any TableSink) {
            self.metrics = metrics
            self.events = events
        }

        func write(_ pieces: [Piece]) throws {
            try finish()
            let item = DispatchWorkItem { [self] in
                do {
                    for piece in pieces {
                        if let metrics { try metrics.write(&piece.metrics) }
                        try events.write(&piece.events)
                    }
                } catch {
                    self.error = error
                }
            }
            inFlight = item
            queue.async(execute: item)
        }

        /// Waits for the batch in flight; throws its error.
        func finish() throws {
            wait()
            if let error { throw error }
        }

        func wait() {
            inFlight?.wait()
            inFlight = nil
        }
    }

    /// The values of a batch of chains formatted at once: 64 chains a worker, fewer when
    /// that is more than 2²⁰ values, but at least one chain a worker.
    static func batchValues(valuesPerChain: Int, workers: Int) -> Int {
        let v = max(1, valuesPerChain)
        return v * max(workers, min(workers * 64, (1 << 20) / v))
    }

    /// The summaries of the block's first `pairs` columns of `replicates` values, split
    /// among the workers.
    private func summarize(_ columns: [Double], pairs: Int, replicates R: Int) -> [SummaryTable.Row] {
        let empty = SummaryTable.summarize([Double]())
        var out = [SummaryTable.Row](repeating: empty, count: pairs)
        columns.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                nonisolated(unsafe) let input = input, output = output
                let share = (pairs + workers - 1) / workers, R = R
                let work: @Sendable (Int) -> Void = { w in
                    for i in stride(from: w * share, to: min(pairs, (w + 1) * share), by: 1) {
                        output[i] = SummaryTable.summarize(UnsafeBufferPointer(rebasing: input[(i * R)..<((i + 1) * R)]))
                    }
                }
                if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
            }
        }
        return out
    }

    /// Puts a chain's values for a block of generations (from the block's first, m
    /// metrics each) into the block's columns: value (g, k) of replicate r at
    /// ((g − g₀)·m + k)·R + r.
    private static func scatter(_ values: ArraySlice<Double>, replicate r: Int, metrics m: Int, replicates R: Int,
                                into columns: UnsafeMutableBufferPointer<Double>) {
        guard m > 0 else { return }
        var i = values.startIndex
        var g = 0
        while i < values.endIndex {
            for k in 0..<m where i < values.endIndex {
                columns[(g * m + k) * R + r] = values[i]
                i += 1
            }
            g += 1
        }
    }
}
