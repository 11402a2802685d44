/// `samples.csv`: the generated batches of replicate 0 at the `output.snapshots`
/// generations, one row per observation: `cell,generation,index,value` when each
/// observation is one number (1-D points, category indices), else
/// `cell,generation,index,value_1,…,value_k` (k = d for points; d + 1 for regression
/// pairs, x then y). Cells of a sweep with fewer columns leave the rest empty.
public enum SamplesTable {
    public static let file = "samples.csv"

    public static func csv(_ snapshots: [String: [Snapshot]]) -> String {
        let width = snapshots.values.flatMap { $0 }.map(\.width).max() ?? 1
        var out = "cell,generation,index," + (width == 1 ? "value" : (1...width).map { "value_\($0)" }.joined(separator: ","))
        out += "\n"
        for id in snapshots.keys.sorted() {
            for snap in snapshots[id]!.sorted(by: { $0.generation < $1.generation }) {
                for i in 0..<snap.count {
                    out += "\(id),\(snap.generation),\(i)"
                    for k in 0..<width {
                        out += ","
                        if k < snap.width { out += NumberFormat.double(snap.values[i * snap.width + k]) }
                    }
                    out += "\n"
                }
            }
        }
        return out
    }
}
