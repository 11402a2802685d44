/// How a table column is read: as numbers or as category labels.
public enum ColumnType: String, CaseIterable, Sendable {
    case numeric, categorical
}

/// `real.missing`: what an empty cell in a used column does.
public enum MissingCells: String, CaseIterable, Sendable {
    /// An empty cell is an error naming its line.
    case error
    /// Rows with an empty cell in a used column are dropped (counted in the manifest).
    case drop
}

/// One typed column of a table.
public struct TableColumn: Sendable {
    public let name: String
    public let type: ColumnType
    /// The numbers of a numeric column (empty for a categorical one).
    public let numbers: [Double]
    /// A categorical column's labels, most frequent first (ties in label order), and
    /// each row's index into them; empty for a numeric column.
    public let levels: [String]
    public let codes: [Int32]

    public var rowCount: Int { type == .numeric ? numbers.count : codes.count }
}

/// The used columns of a CSV file, typed, with the rows that had empty cells dropped
/// under `missing: drop`: what the `table` real-data kind samples rows from.
public final class TableData: Sendable {
    public let path: String
    public let sha256: String
    /// Rows of the file (below the header, blank lines not counted).
    public let fileRows: Int
    /// Rows dropped for an empty cell (`missing: drop`).
    public let droppedRows: Int
    /// The used columns, in the order asked for.
    public let columns: [TableColumn]

    public var rowCount: Int { fileRows - droppedRows }

    public func column(_ name: String) -> TableColumn? { columns.first { $0.name == name } }

    /// Reads the used columns `names` of `csv` (every name is in its header), typed by
    /// `types` where given and otherwise by their cells: numeric when every cell parses
    /// as a finite decimal number, else categorical.
    public init(_ csv: CSVTable, file: DataFile, names: [String], types: [String: ColumnType],
                missing: MissingCells) throws(DataFile.Problem) {
        let indices = names.map { n in csv.header.firstIndex(of: n)! }
        var keep = [Bool](repeating: true, count: csv.rowCount)
        for (name, j) in zip(names, indices) {
            for (i, cell) in csv.columns[j].enumerated() where cell.trimmingSpaces.isEmpty {
                guard missing == .drop else {
                    throw DataFile.Problem(value: "'\(file.path)' line \(csv.lines[i]) (column \(name)): an empty cell",
                                           allowed: "a value in every used cell, or real.missing: drop to drop rows with an empty cell")
                }
                keep[i] = false
            }
        }
        let rows = keep.indices.filter { keep[$0] }
        if rows.isEmpty {
            throw DataFile.Problem(value: "'\(file.path)': every row has an empty cell in \(names.joined(separator: ", "))",
                                   allowed: "at least one row with a value in every used column")
        }
        var columns: [TableColumn] = []
        for (name, j) in zip(names, indices) {
            let cells = rows.map { csv.columns[j][$0] }
            let parsed = cells.map(Self.number)
            let type = types[name] ?? (parsed.allSatisfy { $0 != nil } ? .numeric : .categorical)
            if type == .numeric {
                if let bad = parsed.firstIndex(where: { $0 == nil }) {
                    throw DataFile.Problem(value: "'\(file.path)' line \(csv.lines[rows[bad]]) (column \(name)): '\(cells[bad])'",
                                           allowed: "a finite decimal number such as 3, -0.5 or 1e-3 in every cell of column \(name), typed numeric")
                }
                columns.append(TableColumn(name: name, type: .numeric, numbers: parsed.map { $0! }, levels: [], codes: []))
            } else {
                columns.append(Self.categorical(name, cells))
            }
        }
        path = file.path
        sha256 = file.sha256
        fileRows = csv.rowCount
        droppedRows = csv.rowCount - rows.count
        self.columns = columns
    }

    /// Category labels by descending frequency (ties: label order), and the codes.
    static func categorical(_ name: String, _ cells: [String]) -> TableColumn {
        var counts: [String: Int] = [:]
        for c in cells { counts[c, default: 0] += 1 }
        let levels = counts.keys.sorted { counts[$0]! > counts[$1]! || (counts[$0]! == counts[$1]! && $0 < $1) }
        var index: [String: Int32] = [:]
        for (k, level) in levels.enumerated() { index[level] = Int32(k) }
        return TableColumn(name: name, type: .categorical, numbers: [], levels: levels, codes: cells.map { index[$0]! })
    }

    /// The number a cell holds, or nil: an optional sign, digits with an optional
    /// decimal point, an optional exponent, with surrounding spaces allowed. Never
    /// locale-dependent; `inf`, `nan` and hexadecimal are not numbers here.
    static func number(_ cell: String) -> Double? {
        let s = cell.trimmingSpaces
        var digits = 0, i = s.utf8.startIndex
        let u = s.utf8
        if i < u.endIndex, u[i] == 0x2B || u[i] == 0x2D { i = u.index(after: i) }
        while i < u.endIndex, (0x30...0x39).contains(u[i]) { digits += 1; i = u.index(after: i) }
        if i < u.endIndex, u[i] == 0x2E {
            i = u.index(after: i)
            while i < u.endIndex, (0x30...0x39).contains(u[i]) { digits += 1; i = u.index(after: i) }
        }
        guard digits > 0 else { return nil }
        if i < u.endIndex, u[i] == 0x65 || u[i] == 0x45 {
            i = u.index(after: i)
            if i < u.endIndex, u[i] == 0x2B || u[i] == 0x2D { i = u.index(after: i) }
            var exponentDigits = 0
            while i < u.endIndex, (0x30...0x39).contains(u[i]) { exponentDigits += 1; i = u.index(after: i) }
            guard exponentDigits > 0 else { return nil }
        }
        guard i == u.endIndex, let x = Double(s), x.isFinite else { return nil }
        return x
    }
}
