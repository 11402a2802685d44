/// The config columns of an export: every dotted config path (``ConfigLeaves``) that is
/// swept in some folder, or whose value (absent counts as a value) is not the same in
/// every (experiment, cell). Each is named by its path with `.` → `_`; a name that is
/// also `experiment`, `cell` or a data column gets the prefix `config_` (summary.csv's
/// `replicates` against the config's `replicates`).
struct ExportColumns {
    /// (column name, dotted path), sorted by name.
    var config: [(name: String, path: String)]

    init(pairs: [[String: String]], swept: Set<String>, dataColumns: [String]) throws(ExportError) {
        let paths = Set(pairs.flatMap(\.keys))
        let isSwept = { (path: String) in swept.contains { path == $0 || path.hasPrefix($0 + ".") } }
        let chosen = paths.filter { path in
            isSwept(path) || Set(pairs.map { $0[path] }).count > 1
        }
        let reserved = Set(["experiment", "cell"] + dataColumns)
        var byName: [String: [String]] = [:]
        for path in chosen {
            var name = path.replacingOccurrences(of: ".", with: "_")
            if reserved.contains(name) { name = "config_" + name }
            byName[name, default: []].append(path)
        }
        for (name, paths) in byName.sorted(by: { $0.key < $1.key }) where paths.count > 1 || reserved.contains(name) {
            throw .columnCollision(name: name, paths: paths.sorted() + (reserved.contains(name) ? ["the column \(name)"] : []))
        }
        config = byName.map { (name: $0.key, path: $0.value[0]) }.sorted { $0.name < $1.name }
    }

    /// The union of the folders' data columns: the first folder's in file order, then
    /// any column another folder adds, in the order met.
    static func union(_ lists: [[String]]) -> [String] {
        var out: [String] = []
        for list in lists { for c in list where !out.contains(c) { out.append(c) } }
        return out
    }
}
