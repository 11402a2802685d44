/// `theory.csv`: the closed-form predictions of every cell, one row per (cell,
/// generation, metric), sorted like `summary.csv`: `cell,generation,metric,value`.
public enum TheoryTable {
    public static let header = "cell,generation,metric,value"
    public static let file = "theory.csv"

    public static func csv(_ cells: [Cell]) -> String {
        var out = header + "\n"
        for cell in cells.sorted(by: { $0.id < $1.id }) {
            let curves = Theory.curves(for: cell.config)
            guard let length = curves.map(\.values.count).max() else { continue }
            for g in 0..<length {
                for curve in curves where g < curve.values.count {
                    out += "\(cell.id),\(g),\(curve.metric.rawValue),\(NumberFormat.double(curve.values[g]))\n"
                }
            }
        }
        return out
    }
}
