/// `events.csv`: every chain event, one row each — `cell,replicate,generation,event` —
/// for cells in id order, replicates ascending, and each chain's events by generation
/// (then name): the first generation at which each kind of event occurred in a chain,
/// as the manifest's `cells[].events[]` lists them, in a table pandas and R read
/// directly (collapse times: `threshold_crossed`, see ``CollapseThreshold``).
public enum EventsTable {
    public static let file = "events.csv"
    public static let header = "cell,replicate,generation,event"

    /// Appends one chain's rows (no header).
    public static func appendRows(cell: String, chain: ChainResult, to out: inout CSVBytes) {
        let events = chain.events.sorted { ($0.generation, $0.kind.rawValue) < ($1.generation, $1.kind.rawValue) }
        for e in events { out.append("\(cell),\(chain.replicate),\(e.generation),\(e.kind.rawValue)\n") }
    }
}
