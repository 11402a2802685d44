/// `cells.csv`: one row per cell in grid order, `cell` plus one column per swept key
/// (sorted). Numbers are written as in metrics.csv, strings as they are, lists and
/// maps as compact JSON; fields holding `,`, `"` or a line break are quoted (RFC 4180).
public enum CellsTable {
    public static func csv(_ experiment: Experiment) -> String {
        let keys = experiment.sweep?.keys ?? []
        var out = (["cell"] + keys).map(quote).joined(separator: ",") + "\n"
        for cell in experiment.cells {
            out += ([cell.id] + keys.map { field(cell.parameters[$0] ?? .null) }).map(quote).joined(separator: ",") + "\n"
        }
        return out
    }

    static func field(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .double(let d): return NumberFormat.double(d)
        case .null: return ""
        default: return v.jsonText(pretty: false)
        }
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
