/// `verifier: rules` bound to the run's columns: a row passes when every rule's column
/// holds an allowed value (a numeric column inside its closed range, a categorical one
/// among its labels). Columns without a rule are unchecked.
enum RuleCheck {
    /// The rules as a ``RowTest``, or the first rule that does not fit the data: a
    /// column the data lacks, a range on a categorical column, a label the table never has.
    static func bind(_ rules: [Verifier.ColumnRule], binding: StepBinding, field: String) -> Result<RowTest, ConfigError> {
        let names = binding.columnNames
        guard binding.table != nil || binding.real.probabilities == nil else {
            return .failure(ConfigError(field: field, value: "rules with real.distribution \(binding.real.name)",
                                        allowed: "rules on a table (real.distribution: table) or on points x1…xd"))
        }
        for rule in rules {
            let where_ = "\(field).rules.\(rule.column)"
            guard names.contains(rule.column) else {
                return .failure(ConfigError(field: where_, value: "a column the data does not have",
                                            allowed: "one of \(names.joined(separator: ", "))"))
            }
            let column = binding.table?.data.column(rule.column)
            let categorical = column?.type == .categorical
            if categorical, rule.range != nil {
                return .failure(ConfigError(field: where_, value: "a numeric range on a categorical column",
                                            allowed: "a list of its labels"))
            }
            if !categorical, rule.range == nil {
                return .failure(ConfigError(field: where_, value: "labels on a numeric column", allowed: "[low, high]"))
            }
            if let column, categorical, let unknown = rule.categories.first(where: { !column.levels.contains($0) }) {
                return .failure(ConfigError(field: where_, value: "'\(unknown)', a label the column never has",
                                            allowed: "labels of \(rule.column): \(column.levels.prefix(12).joined(separator: ", "))\(column.levels.count > 12 ? ", …" : "")"))
            }
        }
        if binding.table == nil {
            let d = names.count
            let checks = rules.map { (names.firstIndex(of: $0.column)!, $0.range!) }
            return .success(RowTest(StepPoints.perPoint(d) { x in checks.allSatisfy { $0.1.contains(x[$0.0]) } }))
        }
        return .success(RowTest { points in
            guard case .table(let table) = points else { preconditionFailure("rules on a table need its rows") }
            var pass = [Bool](repeating: true, count: table.count)
            for rule in rules {
                guard let j = table.schema.columns.firstIndex(where: { $0.name == rule.column }) else { continue }
                if let range = rule.range {
                    for (i, x) in table.numeric[table.schema.slot[j]].enumerated() where !range.contains(x) { pass[i] = false }
                } else {
                    let levels = table.schema.columns[j].levels
                    var allowed = [Bool](repeating: false, count: levels.count)
                    for (k, label) in levels.enumerated() where rule.categories.contains(label) { allowed[k] = true }
                    for (i, code) in table.categorical[table.schema.slot[j]].enumerated() where !allowed[Int(code)] { pass[i] = false }
                }
            }
            return pass
        })
    }
}
