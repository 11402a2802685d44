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
    /// as UTF-8, in the cell's order. The rows are written at once into room for the
    /// longest they could be (``CSVBytes/appendWritten(maximum:_:)``).
    public static func appendRows(cell: String, chain: ChainResult, metricNames: [[UInt8]], to out: inout CSVBytes) {
        let m = metricNames.count
        let generations = chain.generationCount(metricCount: m)
        guard generations > 0 else { return }
        let prefix = Array("\(cell),\(chain.replicate),".utf8)
        // ",name," for each metric, in one buffer: no array handling per row.
        var names: [UInt8] = []
        var ends: [Int] = []
        for name in metricNames {
            names.append(UInt8(ascii: ","))
            names += name
            names.append(UInt8(ascii: ","))
            ends.append(names.count)
        }
        let longestName = zip(ends, [0] + ends).map { $0 - $1 }.max() ?? 0
        let row = prefix.count + ByteWriter.maximumInteger + longestName + ByteWriter.maximumDouble + 1
        let newline = UInt8(ascii: "\n")
        chain.values.withUnsafeBufferPointer { values in
            prefix.withUnsafeBufferPointer { prefix in
                names.withUnsafeBufferPointer { names in
                    out.appendWritten(maximum: generations * m * row) { pointer in
                        ByteWriter.writing(into: pointer) { w in
                            for g in 0..<generations {
                                var start = 0
                                for k in 0..<m {
                                    w.write(prefix)
                                    w.write(g)
                                    w.write(UnsafeBufferPointer(rebasing: names[start..<ends[k]]))
                                    w.write(values[g * m + k])
                                    w.write(byte: newline)
                                    start = ends[k]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
