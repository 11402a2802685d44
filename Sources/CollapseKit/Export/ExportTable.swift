/// The table `collapse export --what` writes: `summary` (summary.csv), `metrics`
/// (metrics.csv) or `events` (each manifest's `cells[].events[]`).
public enum ExportTable: String, CaseIterable, Sendable {
    case summary, metrics, events

    /// The file the table is read from (nil for `events`, read from manifest.json).
    public var file: String? {
        switch self {
        case .summary: return OutputFolder.summaryFile
        case .metrics: return OutputFolder.metricsFile
        case .events: return nil
        }
    }

    /// The data columns of `events` (after `cell`): one `cells[].events[]` entry a row.
    static let eventColumns = ["replicate", "generation", "event"]
}

/// One table of one results folder: its data columns (the header without `cell`) and
/// its rows, grouped by cell id, each row's fields in header order (raw, unquoted).
struct FolderTable {
    var columns: [String]
    var rows: [String: [[String]]]
}
