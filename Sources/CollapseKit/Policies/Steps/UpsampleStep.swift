/// `policy.upsample`: the synthetic part of each training set drawn stratified, so that
/// a share `share` of it (rounded to the nearest point) are target points and the rest
/// are not, drawing more from the model until both strata are full or `max_draws` × the
/// synthetic count have been drawn (then the chain records `upsample_exhausted` and
/// trains on what it has). Targets are judged against the *real* data, fixed for the run:
/// - `rare_categories`: categories whose real probability is below `below` (categorical);
/// - `label`: rows whose `real.label` equals `value`, optionally only where other columns
///   hold given labels (`where: {race: African-American}`) (tables);
/// - `tail`: points beyond the real distribution's central `quantile` interval in some
///   coordinate, outside [F⁻¹((1 − q)/2), F⁻¹((1 + q)/2)] (points in ℝ^d).
public struct UpsampleStep: TrainingStep, Equatable {
    public enum Target: Equatable, Sendable {
        case rareCategories(below: Double)
        case label(value: String, where: [String: String])
        case tail(quantile: Double)
    }

    public var target: Target
    public var share: Double
    public var maxDraws: Int
    var test: RowTest?

    public var key: String { "upsample" }

    public var jsonValue: JSONValue {
        var map: [String: JSONValue] = ["share": .double(share), "max_draws": .int(maxDraws)]
        switch target {
        case .rareCategories(let below):
            map["target"] = .string("rare_categories")
            map["below"] = .double(below)
        case .label(let value, let conditions):
            map["target"] = .string("label")
            map["value"] = .string(value)
            if !conditions.isEmpty { map["where"] = .map(conditions.mapValues { .string($0) }) }
        case .tail(let q):
            map["target"] = .string("tail")
            map["quantile"] = .double(q)
        }
        return .map(map)
    }

    public static func == (a: UpsampleStep, b: UpsampleStep) -> Bool { a.jsonValue == b.jsonValue }

    /// The number of target points in a synthetic part of `count` points.
    public func targetCount(of count: Int) -> Int { Int((share * Double(count)).rounded()) }

    public func bind(_ binding: StepBinding) -> Result<any TrainingStep, ConfigError> {
        let field = "policy.upsample"
        var copy = self
        switch target {
        case .rareCategories(let below):
            guard binding.family == "categorical", let p = binding.real.probabilities else {
                return .failure(ConfigError(field: "\(field).target", value: "rare_categories with model.family \(binding.family)",
                                            allowed: "rare_categories with model.family categorical; label for a table, tail for points"))
            }
            let rare = p.map { $0 < below }
            guard rare.contains(true) else {
                return .failure(ConfigError(field: "\(field).below", value: String(below),
                                            allowed: "a threshold above the smallest real category probability (\(p.min()!)): no category is rarer"))
            }
            copy.test = RowTest { points in
                guard case .categories(let c) = points else { preconditionFailure("rare categories need categories") }
                return c.categories.map { rare[Int($0)] }
            }
        case .label(let value, let conditions):
            guard let table = binding.table, let label = table.label else {
                return .failure(ConfigError(field: "\(field).target", value: "label without real.label",
                                            allowed: "label on a table with real.label (the column whose value is the target)"))
            }
            var checks: [(column: String, value: String)] = [(label, value)]
            for (column, v) in conditions.sorted(by: { $0.key < $1.key }) { checks.append((column, v)) }
            for check in checks {
                let valueField = check.column == label && check.value == value ? "\(field).value" : "\(field).where.\(check.column)"
                guard let column = table.data.column(check.column), table.columns.contains(check.column) else {
                    return .failure(ConfigError(field: "\(field).where.\(check.column)", value: "a column the model does not generate",
                                                allowed: "one of real.columns: \(table.columns.joined(separator: ", "))"))
                }
                if column.type == .categorical, !column.levels.contains(check.value) {
                    return .failure(ConfigError(field: valueField, value: "'\(check.value)'",
                                                allowed: "a label of \(check.column): \(column.levels.prefix(12).joined(separator: ", "))"))
                }
                if column.type == .numeric, !(Double(check.value).map(column.numbers.contains) ?? false) {
                    let seen = Array(Set(column.numbers)).sorted().prefix(12).map(NumberFormat.double)
                    return .failure(ConfigError(field: valueField, value: "'\(check.value)'",
                                                allowed: "a value of \(check.column) that occurs in the file: \(seen.joined(separator: ", "))\(Set(column.numbers).count > 12 ? ", …" : "")"))
                }
            }
            let tests = checks
            copy.test = RowTest { points in
                guard case .table(let t) = points else { preconditionFailure("label targets need table rows") }
                var pass = [Bool](repeating: true, count: t.count)
                for check in tests {
                    guard let j = t.schema.columns.firstIndex(where: { $0.name == check.column }) else { continue }
                    let column = t.schema.columns[j]
                    if column.type == .numeric {
                        let x = Double(check.value)!
                        for (i, v) in t.numeric[t.schema.slot[j]].enumerated() where v != x { pass[i] = false }
                    } else {
                        let code = column.levels.firstIndex(of: check.value).map(Int32.init) ?? -1
                        for (i, c) in t.categorical[t.schema.slot[j]].enumerated() where c != code { pass[i] = false }
                    }
                }
                return pass
            }
        case .tail(let q):
            guard binding.table == nil || (binding.table.map { t in t.columns.allSatisfy { t.data.column($0)?.type == .numeric } } ?? false),
                  binding.real.probabilities == nil, let reference = binding.real.reference else {
                return .failure(ConfigError(field: "\(field).target", value: "tail with real.distribution \(binding.real.name)",
                                            allowed: "tail on points in ℝ^d (a parametric distribution or an all-numeric file)"))
            }
            let d = reference.dimension
            let low = (0..<d).map { reference.distribution.marginalQuantile((1 - q) / 2, coordinate: $0) }
            let high = (0..<d).map { reference.distribution.marginalQuantile((1 + q) / 2, coordinate: $0) }
            copy.test = RowTest(StepPoints.perPoint(d) { x in (0..<d).contains { x[$0] < low[$0] || x[$0] > high[$0] } })
        }
        return .success(copy)
    }

    public func apply<Hooks: ModelHooks>(_ synthetic: Hooks.Data, target: Int, hooks: Hooks) -> Hooks.Data {
        guard let test, target > 0 else { return synthetic }
        let wanted = targetCount(of: target)
        var targets = 0, others = 0
        let draws = CandidateDraws(first: synthetic, batch: target, cap: maxDraws * target, hooks: hooks) { view, room in
            let isTarget = test(view)
            var keep: [Int] = []
            var looked = 0
            for i in 0..<min(view.count, room) where targets < wanted || others < target - wanted {
                looked += 1
                if isTarget[i] {
                    if targets < wanted { targets += 1; keep.append(i) }
                } else if others < target - wanted {
                    others += 1
                    keep.append(i)
                }
            }
            return (keep, looked, targets == wanted && others == target - wanted)
        }
        if !draws.satisfied { hooks.record(.upsampleExhausted) }
        return draws.result(empty: synthetic.prefix(0))
    }
}

/// `policy.upsample`'s parser.
public struct UpsampleStepKind: TrainingStepKind {
    public init() {}
    public var key: String { "upsample" }

    public func parse(_ r: ConfigReader) -> (any TrainingStep)? {
        let kind = r.string("target", oneOf: ["rare_categories", "label", "tail"])
        let share = r.double("share", allowed: "a number in (0, 1): the target points' share of the synthetic part") { $0 > 0 && $0 < 1 }
        let maxDraws = r.int("max_draws", default: 20, range: 1...1_000_000,
                             note: "the cap on candidates, as a multiple of the synthetic count")
        var target: UpsampleStep.Target?
        var own: [String] = []
        switch kind {
        case "rare_categories":
            own = ["below"]
            target = r.double("below", default: 0.01, allowed: "a probability in (0, 1): categories rarer than this in the real data") {
                $0 > 0 && $0 < 1
            }.map { .rareCategories(below: $0) }
        case "label":
            own = ["value", "where"]
            let value: String?
            switch r.raw("value") {
            case .string(let s)?: value = s
            case .int(let i)?: value = String(i)
            case .double(let x)?: value = NumberFormat.double(x)
            case let other:
                r.fail("value", other?.shortDescription ?? "nothing", "the label value of the target rows (a label or a number)")
                value = nil
            }
            var conditions: [String: String] = [:]
            if let w = r.raw("where") {
                if case .map(let m) = w {
                    for (column, v) in m {
                        if let s = v.asString { conditions[column] = s }
                        else if case .int(let i) = v { conditions[column] = String(i) }
                        else { r.fail("where.\(column)", v.shortDescription, "a label") }
                    }
                } else {
                    r.fail("where", w.shortDescription, "a map of column: label")
                }
            }
            target = value.map { .label(value: $0, where: conditions) }
        case "tail":
            own = ["quantile"]
            target = r.double("quantile", default: 0.95, allowed: "a probability in (0, 1): the central real interval") {
                $0 > 0 && $0 < 1
            }.map { .tail(quantile: $0) }
        default: break
        }
        r.finish(allowedKeys: ["target", "share", "max_draws"] + own)
        guard let target, let share, let maxDraws else { return nil }
        return UpsampleStep(target: target, share: share, maxDraws: maxDraws)
    }
}
