/// `metrics.csv`: one row per (cell, replicate, generation, metric), sorted in that
/// order (cells by id, replicates and generations ascending, metrics by name): `cell,replicate,generation,metric,value`.
public enum MetricsTable {
    public static let header = "cell,replicate,generation,metric,value"

    public static func csv(_ results: [CellResult]) -> String {
        var out = header + "\n"
        for cell in results.sorted(by: { $0.cell.id < $1.cell.id }) { append(cell, to: &out) }
        return out
    }

    /// Appends one cell's rows (no header).
    public static func append(_ cell: CellResult, to out: inout String) {
        let names = cell.metrics.map(\.rawValue)
        let m = names.count
        for chain in cell.chains {
            let prefix = "\(cell.cell.id),\(chain.replicate),"
            for g in 0..<chain.generationCount(metricCount: m) {
                for k in 0..<m {
                    out += prefix
                    out += String(g)
                    out += ","
                    out += names[k]
                    out += ","
                    out += NumberFormat.double(chain.values[g * m + k])
                    out += "\n"
                }
            }
        }
    }
}
