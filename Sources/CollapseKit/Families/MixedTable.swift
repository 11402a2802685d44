/// The columns of a mixed-type table, in order: each numeric or categorical, a
/// categorical one with its level labels (their order is the category order the table's
/// codes index, fixed for a whole run). Shared by every ``MixedTable`` of a run.
public struct TableSchema: Equatable, Sendable {
    /// One column: its name, its type and (categorical) its level labels.
    public struct Column: Equatable, Sendable {
        public let name: String
        public let type: ColumnType
        /// The labels of a categorical column's codes 0..<levels.count (empty when numeric).
        public let levels: [String]

        public init(name: String, type: ColumnType, levels: [String] = []) {
            self.name = name
            self.type = type
            self.levels = levels
        }
    }

    public let columns: [Column]
    /// For column j, its index among the numeric or among the categorical columns.
    public let slot: [Int]
    /// The numeric columns' positions in ``columns``, and the categorical ones'.
    public let numericColumns: [Int]
    public let categoricalColumns: [Int]

    public init(columns: [Column]) {
        self.columns = columns
        var slot: [Int] = [], numeric: [Int] = [], categorical: [Int] = []
        for (j, c) in columns.enumerated() {
            if c.type == .numeric {
                slot.append(numeric.count)
                numeric.append(j)
            } else {
                slot.append(categorical.count)
                categorical.append(j)
            }
        }
        self.slot = slot
        self.numericColumns = numeric
        self.categoricalColumns = categorical
    }

    /// `d` numeric columns x1…xd (a parametric distribution's coordinates).
    public static func numeric(dimension d: Int) -> TableSchema {
        TableSchema(columns: (1...d).map { Column(name: "x\($0)", type: .numeric) })
    }

    /// The number of levels of each categorical column, in categorical order.
    public var levelCounts: [Int] { categoricalColumns.map { columns[$0].levels.count } }
}

/// A sample of rows of a mixed-type table, stored as columns (the layout of
/// ARCHITECTURE.md: one buffer per column): a `[Double]` per numeric column and an
/// `[Int32]` of level codes per categorical column, in the ``TableSchema``'s order.
/// What the `copula` family trains on and generates, and what the table metrics
/// (``TableMetrics``) compare.
public struct MixedTable: TrainingData, Equatable {
    public let schema: TableSchema
    /// The numeric columns' values (schema order of the numeric columns).
    public var numeric: [[Double]]
    /// The categorical columns' codes into their levels (schema order of the categorical columns).
    public var categorical: [[Int32]]
    public private(set) var count: Int

    public init(schema: TableSchema, numeric: [[Double]], categorical: [[Int32]]) {
        precondition(numeric.count == schema.numericColumns.count && categorical.count == schema.categoricalColumns.count)
        let n = numeric.first?.count ?? categorical.first?.count ?? 0
        precondition(numeric.allSatisfy { $0.count == n } && categorical.allSatisfy { $0.count == n })
        self.schema = schema
        self.numeric = numeric
        self.categorical = categorical
        self.count = n
    }

    /// A table of numeric columns x1…xd from a flat n×d row-major buffer.
    public init(rowMajor values: [Double], dimension d: Int) {
        let n = values.count / d
        var columns = [[Double]](repeating: [], count: d)
        for j in 0..<d {
            columns[j].reserveCapacity(n)
            for i in 0..<n { columns[j].append(values[i * d + j]) }
        }
        self.init(schema: .numeric(dimension: d), numeric: columns, categorical: [])
    }

    public func prefix(_ n: Int) -> MixedTable {
        MixedTable(schema: schema, numeric: numeric.map { Array($0[0..<n]) },
                   categorical: categorical.map { Array($0[0..<n]) })
    }

    public func rows(_ rows: [Int]) -> MixedTable {
        MixedTable(schema: schema, numeric: numeric.map { c in rows.map { c[$0] } },
                   categorical: categorical.map { c in rows.map { c[$0] } })
    }

    public mutating func append(_ other: MixedTable) {
        for j in numeric.indices { numeric[j].append(contentsOf: other.numeric[j]) }
        for j in categorical.indices { categorical[j].append(contentsOf: other.categorical[j]) }
        count += other.count
    }

    public static func concatenate(_ parts: [MixedTable]) -> MixedTable {
        var out = parts[0]
        for p in parts.dropFirst() { out.append(p) }
        return out
    }

    public var snapshotWidth: Int { schema.columns.count }

    /// Row-major, every column in schema order; a categorical cell as its level code.
    public var snapshotValues: [Double] {
        let w = snapshotWidth
        var out = [Double](repeating: 0, count: count * w)
        for (j, c) in schema.columns.enumerated() {
            let s = schema.slot[j]
            if c.type == .numeric {
                for i in 0..<count { out[i * w + j] = numeric[s][i] }
            } else {
                for i in 0..<count { out[i * w + j] = Double(categorical[s][i]) }
            }
        }
        return out
    }
}
