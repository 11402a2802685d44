/// `metrics.csv`: one row per (cell, replicate, generation, metric), sorted in that
/// order (cells by id, replicates and generations ascending, metrics by name): `cell,replicate,generation,metric,value`.
public enum MetricsTable {
    public static let header = "cell,replicate,generation,metric,value"

    public static func csv(_ results: [CellResult]) -> String {
        var out = CSVBytes()
        out.append(header + "\n")
        for cell in results.sorted(by: { $0.cell.id < $1.cell.id }) {
            let names = cell.metrics.map { Array($0.rawValue.utf8) }
            for chain in cell.chains { appendRows(cell: cell.cell.id, chain: chain, metricNames: names, to: &out) }
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Appends one chain's rows (no header); `metricNames` are the cell's metrics' names
    /// as UTF-8, in the cell's order.
    public static func appendRows(cell: String, chain: ChainResult, metricNames: [[UInt8]], to out: inout CSVBytes) {
        let m = metricNames.count
        var prefix = CSVBytes()
        prefix.append(cell)
        prefix.append(byte: UInt8(ascii: ","))
        prefix.append(chain.replicate)
        prefix.append(byte: UInt8(ascii: ","))
        // ",name," for each metric, in one buffer: no array handling per row.
        var names: [UInt8] = []
        var ends: [Int] = []
        for name in metricNames {
            names.append(UInt8(ascii: ","))
            names += name
            names.append(UInt8(ascii: ","))
            ends.append(names.count)
        }
        let newline = UInt8(ascii: "\n")
        chain.values.withUnsafeBufferPointer { values in
            prefix.bytes.withUnsafeBufferPointer { prefix in
                names.withUnsafeBufferPointer { names in
                    for g in 0..<chain.generationCount(metricCount: m) {
                        var start = 0
                        for k in 0..<m {
                            out.append(prefix)
                            out.append(g)
                            out.append(UnsafeBufferPointer(rebasing: names[start..<ends[k]]))
                            out.append(values[g * m + k])
                            out.append(byte: newline)
                            start = ends[k]
                        }
                    }
                }
            }
        }
    }
}
