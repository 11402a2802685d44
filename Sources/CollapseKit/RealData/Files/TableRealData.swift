/// `real.distribution: table` — the rows of a CSV file. Chains draw rows without
/// replacement (R₀, the held-out sample and `fresh` rows never share a row within a
/// chain). The continuous families fit the selected numeric columns (d = their
/// number) against the file's empirical distribution (``EmpiricalDistribution``); the
/// categorical family fits one categorical column against its frequencies.
///
/// Keys: `file` (relative to the config's folder), `columns` (default: every column),
/// `types` (`numeric` | `categorical` overrides), `label` and `sensitive` (columns kept
/// for later analyses), `missing` (`error` | `drop`) and `sha256` (written into the
/// resolved config, so `config_hash` covers the file's contents).
public struct TableRealData: RealDataSpec {
    public let file: String
    public let data: TableData
    /// The modelled columns.
    public let columns: [String]
    public let label: String?
    public let sensitive: String?
    public let missing: MissingCells

    public var kind: String { "table" }
    public var dimension: Int { columns.count }

    private var modelled: [TableColumn] { columns.map { data.column($0)! } }

    public var jsonEntries: [String: JSONValue] {
        var map: [String: JSONValue] = [
            "file": .string(file), "columns": .list(columns.map(JSONValue.string)),
            "types": .map(Dictionary(uniqueKeysWithValues: data.columns.map { ($0.name, JSONValue.string($0.type.rawValue)) })),
            "missing": .string(missing.rawValue), "sha256": .string(data.sha256),
        ]
        if let label { map["label"] = .string(label) }
        if let sensitive { map["sensitive"] = .string(sensitive) }
        return map
    }

    /// The file's empirical distribution when every modelled column is numeric.
    public func makeDistribution() -> (any RealDistribution)? {
        let cols = modelled
        guard cols.allSatisfy({ $0.type == .numeric }) else { return nil }
        return EmpiricalDistribution(columns: cols.map(\.numbers))
    }

    /// A single categorical column's level frequencies.
    public var probabilities: [Double]? { categoryPopulation?.frequencies(categories: modelled[0].levels.count) }

    public var categoryPopulation: CategoryPopulation? {
        guard columns.count == 1, modelled[0].type == .categorical else { return nil }
        return CategoryPopulation(tokens: modelled[0].codes, starts: nil)
    }

    public var population: RealPopulation? {
        RealPopulation(units: data.rowCount, unitName: "rows", wastePerDraw: 0, file: data.path)
    }

    public var manifestEntry: JSONValue? {
        .map(["file": .string(file), "path": .string(data.path), "sha256": .string(data.sha256),
              "rows_in_file": .int(data.fileRows), "rows_dropped": .int(data.droppedRows), "rows": .int(data.rowCount),
              "columns": .list(data.columns.map { c in
                  var entry: [String: JSONValue] = ["name": .string(c.name), "type": .string(c.type.rawValue)]
                  if c.type == .categorical { entry["levels"] = .int(c.levels.count) }
                  return .map(entry)
              })])
    }

    public var pointsProblem: RealDataProblem? {
        let categorical = modelled.filter { $0.type == .categorical }.map(\.name)
        guard !categorical.isEmpty else { return nil }
        let numeric = data.columns.filter { $0.type == .numeric }.map(\.name)
        return RealDataProblem(key: "columns", value: "categorical column\(categorical.count == 1 ? "" : "s") \(categorical.joined(separator: ", "))",
                               allowed: "numeric columns only for a family of points in ℝ^d (numeric here: \(numeric.isEmpty ? "none" : numeric.joined(separator: ", "))); list them in real.columns or type them numeric in real.types")
    }

    public var categoriesProblem: RealDataProblem? {
        guard columns.count == 1 else {
            return RealDataProblem(key: "columns", value: "\(columns.count) columns (\(columns.joined(separator: ", ")))",
                                   allowed: "exactly one column for model.family categorical, e.g. columns: [\(data.columns.first { $0.type == .categorical }?.name ?? columns[0])]")
        }
        let column = modelled[0]
        if column.type == .numeric {
            return RealDataProblem(key: "columns", value: "numeric column \(column.name)",
                                   allowed: "a categorical column; to treat its values as categories set types: {\(column.name): categorical}")
        }
        if column.levels.count < 2 {
            return RealDataProblem(key: "columns", value: "column \(column.name) with one value only ('\(column.levels[0])')",
                                   allowed: "a column with at least two distinct values (a categorical model needs two)")
        }
        return nil
    }

    /// The kind's config name and parser (registered in ``Registry/standard``).
    public struct Kind: RealDataKind {
        public init() {}
        public var name: String { "table" }

        public func parse(_ r: ConfigReader) -> (any RealDataSpec)? {
            let file = r.dataFile("file")
            let columnsValue = r.raw("columns")
            let typesValue = r.raw("types")
            let label = r.string("label", default: "")
            let sensitive = r.string("sensitive", default: "")
            let missing = r.string("missing", default: "error", oneOf: MissingCells.allCases.map(\.rawValue))
                .flatMap(MissingCells.init)
            let pinned = file.map { r.checkPinnedHash($0.file) } ?? { _ = r.raw("sha256"); return true }()
            r.finish(allowedKeys: ["distribution", "file", "columns", "types", "label", "sensitive", "missing", "sha256"])
            if !r.has("file") && file == nil { return nil }
            guard let file, pinned, let missing, let label, let sensitive else { return nil }
            // The header and each typed selection are cached by the file's SHA-256; the
            // CSV is parsed again only for a selection not seen yet.
            var csv: CSVTable?
            let header: [String]
            do {
                header = try ParsedFiles.shared.value("csv-header:\(file.file.sha256)") { () throws(DataFile.Problem) in
                    csv = try CSVTable.parse(file.file)
                    return csv!.header
                }
            } catch {
                r.fail("file", error.value, error.allowed)
                return nil
            }
            let known = "a column of \(file.written) (\(header.joined(separator: ", ")))"
            var columns = header
            if let columnsValue {
                guard let names = columnsValue.asStrings, !names.isEmpty else {
                    r.fail("columns", columnsValue.shortDescription, "a non-empty list of column names")
                    return nil
                }
                if let bad = names.first(where: { !header.contains($0) }) {
                    r.fail("columns", "'\(bad)'", known)
                    return nil
                }
                if Set(names).count != names.count {
                    r.fail("columns", columnsValue.shortDescription, "each column once")
                    return nil
                }
                columns = names
            }
            for (key, value) in [("label", label), ("sensitive", sensitive)] where !value.isEmpty && !header.contains(value) {
                r.fail(key, "'\(value)'", known)
                return nil
            }
            var types: [String: ColumnType] = [:]
            if let typesValue {
                guard case .map(let map) = typesValue else {
                    r.fail("types", typesValue.shortDescription, "a map of column name to numeric or categorical")
                    return nil
                }
                for (name, v) in map.sorted(by: { $0.key < $1.key }) {
                    guard header.contains(name) else {
                        r.fail("types.\(name)", "a column name", known)
                        return nil
                    }
                    guard let t = v.asString.flatMap(ColumnType.init) else {
                        r.fail("types.\(name)", v.shortDescription, "numeric or categorical")
                        return nil
                    }
                    types[name] = t
                }
            }
            var used = columns
            for extra in [label, sensitive] where !extra.isEmpty && !used.contains(extra) { used.append(extra) }
            let data: TableData
            let key = "table:\(file.file.sha256):\(file.file.path):\(used):\(types.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }):\(missing)"
            do {
                data = try ParsedFiles.shared.value(key) { () throws(DataFile.Problem) in
                    let table: CSVTable
                    if let csv { table = csv } else { table = try CSVTable.parse(file.file) }
                    return try TableData(table, file: file.file, names: used, types: types, missing: missing)
                }
            } catch {
                r.fail("file", error.value, error.allowed)
                return nil
            }
            return TableRealData(file: file.written, data: data, columns: columns,
                                 label: label.isEmpty ? nil : label, sensitive: sensitive.isEmpty ? nil : sensitive,
                                 missing: missing)
        }
    }
}
