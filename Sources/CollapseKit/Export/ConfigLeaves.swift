/// A resolved config flattened to its leaves for `collapse export`: nested maps become
/// dotted paths (`policy.real_fraction`), and every other value is one leaf written as
/// `cells.csv` writes a swept value: numbers as in `metrics.csv`, strings as they are,
/// booleans `true`/`false`, lists (and empty maps) as compact JSON, null as empty.
enum ConfigLeaves {
    /// Dotted path → the leaf's CSV text (unquoted). `name` is left out: the
    /// `experiment` column carries it.
    static func flatten(_ config: JSONValue) -> [String: String] {
        var out: [String: String] = [:]
        func walk(_ value: JSONValue, _ path: String) {
            if case .map(let map) = value, !map.isEmpty {
                for (key, child) in map { walk(child, path.isEmpty ? key : "\(path).\(key)") }
            } else if !path.isEmpty {
                out[path] = CellsTable.field(value)
            }
        }
        walk(config, "")
        out["name"] = nil
        return out
    }
}
