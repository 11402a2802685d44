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
    var budget = 1 << 22

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
        var text = CSVBytes()
        var eventText = CSVBytes()

        // Pass 1: every chain whole, in replicate order.
        for r in 0..<R {
            let chain = try journal.chain(at: locations[r])
            counts[r] = chain.values.count
            statusCounts[chain.status, default: 0] += 1
            allEvents += chain.events
            if let metrics {
                MetricsTable.appendRows(cell: cell.id, chain: chain, metricNames: names, to: &text)
                if text.isFull { try metrics.write(&text) }
            }
            EventsTable.appendRows(cell: cell.id, chain: chain, to: &eventText)
            if eventText.isFull { try events.write(&eventText) }
            scatter(chain.values[0..<min(chain.values.count, block * m)], replicate: r, metrics: m, replicates: R,
                    into: &columns)
        }
        if let metrics { try metrics.write(&text) }
        try events.write(&eventText)

        // The summary, a block of generations at a time.
        let generations = m == 0 ? 0 : (counts.max() ?? 0) / m
        var rows: [[SummaryTable.Row]] = []
        rows.reserveCapacity(generations)
        var g0 = 0
        while g0 < generations {
            let g1 = min(g0 + block, generations)
            if g0 > 0 {
                for i in columns.indices { columns[i] = .nan }
                var slice = [Double](repeating: 0, count: (g1 - g0) * m)
                for r in 0..<R where counts[r] > g0 * m {
                    let range = (g0 * m)..<min(counts[r], g1 * m)
                    try slice.withUnsafeMutableBufferPointer { try journal.readValues(at: locations[r], range: range, into: $0) }
                    scatter(slice[0..<range.count], replicate: r, metrics: m, replicates: R, into: &columns)
                }
            }
            for g in g0..<g1 {
                var row: [SummaryTable.Row] = []
                for k in 0..<m {
                    let start = ((g - g0) * m + k) * R
                    let s = SummaryTable.summarize(columns[start..<(start + R)])
                    SummaryTable.appendRow(cell: cell.id, generation: g, metric: config.metrics[k], s, to: &text)
                    row.append(s)
                }
                rows.append(row)
                if text.isFull { try summary.write(&text) }
            }
            g0 = g1
        }
        try summary.write(&text)
        return CellSummary(cell: cell, metrics: config.metrics, rows: rows, chains: R,
                           statusCounts: statusCounts, events: allEvents)
    }

    /// Puts a chain's values for a block of generations (from the block's first, m
    /// metrics each) into the block's columns: value (g, k) of replicate r at
    /// ((g − g₀)·m + k)·R + r.
    private func scatter(_ values: ArraySlice<Double>, replicate r: Int, metrics m: Int, replicates R: Int,
                         into columns: inout [Double]) {
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
