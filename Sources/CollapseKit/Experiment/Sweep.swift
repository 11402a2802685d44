import Foundation

/// The `sweep:` and `zip:` blocks of a config: the grid of cells.
///
/// - `sweep:` maps dotted config paths to lists; every key is one factor and the cells
///   are the Cartesian product of the factors.
/// - `zip:` maps dotted paths to lists of one common length that vary together: the
///   whole block is one factor whose i-th level sets every key to its i-th value. A list
///   of such maps gives several zipped factors.
///
/// Nested maps are read as dotted paths, so `sweep: {policy: {real_fraction: [0, 1]}}`
/// is `sweep: {policy.real_fraction: [0, 1]}` (and `--set sweep.samples=[10,100]` works).
/// Factors are ordered by their first key (sorted); the first factor varies slowest.
public struct SweepSpec: Equatable, Sendable {
    /// One factor: the keys it sets and its levels (one value per key each).
    public struct Factor: Equatable, Sendable {
        public var keys: [String]
        public var levels: [[JSONValue]]
    }

    public var sweep: [String: [JSONValue]]
    public var zip: [[String: [JSONValue]]]

    /// Every swept key, sorted: the columns of `cells.csv`.
    public var keys: [String] { (Array(sweep.keys) + zip.flatMap(\.keys)).sorted() }

    public var factors: [Factor] {
        let single = sweep.map { Factor(keys: [$0.key], levels: $0.value.map { [$0] }) }
        let zipped = zip.map { group -> Factor in
            let keys = group.keys.sorted()
            let n = group.values.first?.count ?? 0
            return Factor(keys: keys, levels: (0..<n).map { i in keys.map { group[$0]![i] } })
        }
        return (single + zipped).sorted { $0.keys[0] < $1.keys[0] }
    }

    /// The parameters of every cell, in grid order (first factor slowest).
    public var grid: [[String: JSONValue]] {
        var cells: [[String: JSONValue]] = [[:]]
        for factor in factors {
            cells = cells.flatMap { partial in
                factor.levels.map { level in
                    var p = partial
                    for (k, v) in Swift.zip(factor.keys, level) { p[k] = v }
                    return p
                }
            }
        }
        return cells
    }

    /// The blocks as written back into the resolved config.
    var jsonEntries: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        if !sweep.isEmpty { out["sweep"] = .map(sweep.mapValues(JSONValue.list)) }
        if zip.count == 1 { out["zip"] = .map(zip[0].mapValues(JSONValue.list)) }
        if zip.count > 1 { out["zip"] = .list(zip.map { .map($0.mapValues(JSONValue.list)) }) }
        return out
    }

    /// The tree with the dotted keys of its `sweep`/`zip` blocks written as nested maps
    /// (`{policy.real_fraction: [..]}` → `{policy: {real_fraction: [..]}}`), so that
    /// `--set sweep.policy.real_fraction=[..]` replaces the file's list instead of adding a
    /// second copy of the key. A key given both ways, or with an empty path segment,
    /// leaves its block as written for ``parse(_:sink:)`` to report.
    static func nested(_ tree: JSONValue) -> JSONValue {
        guard case .map(var top) = tree else { return tree }
        func nest(_ block: JSONValue) -> JSONValue {
            guard case .map = block else { return block }
            var leaves: [(path: [String], value: JSONValue)] = []
            func collect(_ value: JSONValue, _ prefix: [String]) {
                guard case .map(let map) = value, !map.isEmpty || prefix.isEmpty else {
                    leaves.append((prefix, value))
                    return
                }
                for (key, child) in map { collect(child, prefix + key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)) }
            }
            collect(block, [])
            if leaves.contains(where: { $0.path.contains("") }) { return block }
            var out = JSONValue.map([:])
            for leaf in leaves.sorted(by: { $0.path.lexicographicallyPrecedes($1.path) }) {
                var probe = out
                for segment in leaf.path.dropLast() {
                    guard case .map(let m) = probe else { return block }  // a leaf on the way: conflict
                    probe = m[segment] ?? .map([:])
                }
                if case .map(let m) = probe, m[leaf.path.last!] != nil { return block }  // given twice
                guard (try? out.set(path: leaf.path, to: leaf.value, fullPath: "")) != nil else { return block }
            }
            return out
        }
        if let sweep = top["sweep"] { top["sweep"] = nest(sweep) }
        switch top["zip"] {
        case .list(let groups)?: top["zip"] = .list(groups.map(nest))
        case let zip?: top["zip"] = nest(zip)
        case nil: break
        }
        return .map(top)
    }

    static let allowed = "a map from dotted config paths to non-empty lists of values, e.g. {samples: [10, 100], policy.real_fraction: [0, 0.5]}"

    /// Reads `sweep:` and `zip:` from a parsed tree (nil when neither is present).
    static func parse(_ tree: JSONValue, sink: ErrorSink) -> SweepSpec? {
        guard case .map(let top) = tree else { return nil }
        let sweepValue = top["sweep"] ?? .null, zipValue = top["zip"] ?? .null
        if sweepValue == .null, zipValue == .null { return nil }
        var spec = SweepSpec(sweep: [:], zip: [])
        if sweepValue != .null {
            spec.sweep = flatten(sweepValue, field: "sweep", sink: sink)
        }
        switch zipValue {
        case .null: break
        case .list(let groups):
            for (i, g) in groups.enumerated() { spec.zip.append(flatten(g, field: "zip[\(i)]", sink: sink)) }
        default:
            spec.zip = [flatten(zipValue, field: "zip", sink: sink)]
        }
        for (i, group) in spec.zip.enumerated() {
            let field = spec.zip.count == 1 ? "zip" : "zip[\(i)]"
            let lengths = Set(group.values.map(\.count))
            if group.isEmpty { sink.add(ConfigError(field: field, value: "an empty map", allowed: allowed)) }
            if lengths.count > 1 {
                let shown = group.keys.sorted().map { "\($0): \(group[$0]!.count)" }.joined(separator: ", ")
                sink.add(ConfigError(field: field, value: "lists of different lengths (\(shown))",
                                     allowed: "lists of one common length, varied together"))
            }
        }
        // A key may be swept once, and never together with a path inside it.
        let all = Array(spec.sweep.keys) + spec.zip.flatMap(\.keys)
        for key in all where key == "output.metrics_file" {
            sink.add(ConfigError(field: "sweep", value: key,
                                 allowed: "keys other than output.metrics_file, which applies to the whole run: set it outside sweep"))
        }
        var seen: Set<String> = []
        for key in all.sorted() {
            if seen.contains(key) {
                sink.add(ConfigError(field: "sweep", value: "the key \(key) twice (in sweep and zip)",
                                     allowed: "each key in one place"))
            }
            if let outer = seen.first(where: { key.hasPrefix($0 + ".") }) {
                sink.add(ConfigError(field: "sweep", value: "both \(outer) and \(key)",
                                     allowed: "keys that do not contain one another"))
            }
            if ["sweep", "zip"].contains(key.split(separator: ".").first.map(String.init) ?? "") {
                sink.add(ConfigError(field: "sweep.\(key)", value: "a sweep of the sweep", allowed: "config keys other than sweep and zip"))
            }
            seen.insert(key)
        }
        return spec
    }

    /// `{a: {b: [..]}}` → `["a.b": [..]]`; every leaf must be a non-empty list of distinct values.
    private static func flatten(_ value: JSONValue, field: String, sink: ErrorSink) -> [String: [JSONValue]] {
        guard case .map(let map) = value else {
            sink.add(ConfigError(field: field, value: value.shortDescription, allowed: allowed))
            return [:]
        }
        var out: [String: [JSONValue]] = [:]
        for key in map.keys.sorted() {
            let path = "\(field).\(key)"
            let name = String(path.split(separator: ".", maxSplits: 1)[1])
            guard !key.isEmpty, !key.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
                sink.add(ConfigError(field: path, value: "an empty path segment", allowed: "a dotted key path such as policy.real_fraction"))
                continue
            }
            switch map[key]! {
            case .list(let items) where !items.isEmpty:
                if out[name] != nil {
                    sink.add(ConfigError(field: path, value: "given twice (as a dotted key and nested)", allowed: "each key once"))
                }
                var distinct: [String] = []
                for item in items {
                    let text = item.jsonText(pretty: false)
                    if distinct.contains(text) {
                        sink.add(ConfigError(field: path, value: "the value \(item.shortDescription) twice",
                                             allowed: "distinct values (each gives one cell)"))
                    }
                    distinct.append(text)
                }
                out[name] = items
            case .map:
                // The inner call already names its keys from the top of the block.
                for (k, v) in flatten(map[key]!, field: path, sink: sink) {
                    if out[k] != nil {
                        sink.add(ConfigError(field: "\(field).\(k)", value: "given twice (as a dotted key and nested)",
                                             allowed: "each key once"))
                    }
                    out[k] = v
                }
            case let other:
                sink.add(ConfigError(field: path, value: other.shortDescription, allowed: "a non-empty list of values, one per cell"))
            }
        }
        return out
    }
}

/// A validated experiment: its cells (one per point of the sweep grid, or one cell with
/// parameters `{}` without a sweep), each with its own fully resolved config.
///
/// The resolved config (`jsonValue`) is, without a sweep, exactly the cell's resolved
/// config; with a sweep it is the first cell's resolved config plus the `sweep`/`zip`
/// blocks, and `hash` then covers every cell's resolved config too.
public struct Experiment: Sendable {
    public let cells: [Cell]
    public let sweep: SweepSpec?
    /// The config text and `--set` overrides it was built from, so a shard merge (or a
    /// Slurm job) can rebuild exactly the same experiment.
    public let source: Source

    public struct Source: Equatable, Sendable {
        public var text: String
        public var overrides: [String]
        /// The folder relative paths in the config start from (the config file's).
        public var directory: String
        public init(text: String, overrides: [String], directory: String) {
            self.text = text
            self.overrides = overrides
            self.directory = directory
        }
    }

    /// The same experiment with `output.metrics_file` set to `form` in every cell (its
    /// hash is unchanged: the form is not hashed).
    public func writing(_ form: MetricsFileForm) -> Experiment {
        Experiment(cells: cells.map { cell in
            var config = cell.config
            config.metricsFile = form
            return Cell(parameters: cell.parameters, config: config)
        }, sweep: sweep, source: source)
    }

    /// The first cell's config: name, seed and rng of the whole experiment.
    public var base: ExperimentConfig { cells[0].config }
    public var name: String { base.name }

    public var jsonValue: JSONValue { withSweep(base.jsonValue) }

    /// `config` with the sweep and zip blocks added.
    /// When the cells resolved `sampler: auto` differently (a swept policy step needs
    /// points where the first cell ran on statistics), the first cell's sampler is left
    /// out, so that reading the config back resolves every cell's own again.
    private func withSweep(_ config: JSONValue) -> JSONValue {
        guard let sweep, case .map(var map) = config else { return config }
        if Set(cells.map(\.config.sampler)).count > 1 { map["sampler"] = nil }
        map.merge(sweep.jsonEntries) { _, b in b }
        return .map(map)
    }

    /// Equal for equal experiments; `output.metrics_file` is left out (see
    /// ``ExperimentConfig/hashedValue``).
    public var hash: String {
        guard sweep != nil else { return base.hash }
        let all = JSONValue.map(["config": withSweep(base.hashedValue), "cells": .list(cells.map(\.config.hashedValue))])
        return Hashing.hex(Hashing.fnv1a64(all.jsonText(pretty: false)))
    }

    /// Every chain, cells in grid order and replicates ascending: the global chain order
    /// (`index` is the position in it).
    public var chains: [ChainRef] { ChainRef.all(in: cells) }

    public var chainCount: Int { cells.reduce(0) { $0 + $1.config.replicates } }
}

/// One chain of an experiment: its position in the global chain order, its cell (index
/// into ``Experiment/cells``) and replicate.
public struct ChainRef: Hashable, Sendable {
    public let index: Int
    public let cell: Int
    public let replicate: Int

    /// Every chain of `cells`, cells in order and replicates ascending.
    static func all(in cells: [Cell]) -> [ChainRef] {
        var out: [ChainRef] = []
        for (c, cell) in cells.enumerated() {
            for r in 0..<cell.config.replicates { out.append(ChainRef(index: out.count, cell: c, replicate: r)) }
        }
        return out
    }
}

extension ConfigLoader {
    /// Loads a config file with its sweep: the experiment's cells.
    public static func loadExperiment(path: String, overrides: [String] = [],
                                      registry: Registry = .standard) throws -> Experiment {
        try parseExperiment(text: readFile(path), source: path, overrides: overrides, registry: registry,
                            baseDirectory: directory(of: path))
    }

    /// Parses a config with its sweep. Each cell's tree is the config without
    /// `sweep`/`zip`, with the cell's values set at their dotted paths (as `--set` does),
    /// validated on its own; an error in a cell names the sweep values that produced it.
    public static func parseExperiment(text: String, source: String = "config", overrides: [String] = [],
                                       registry: Registry = .standard,
                                       baseDirectory: String = FileManager.default.currentDirectoryPath) throws -> Experiment {
        var tree = try tree(text: text, source: source, overrides: overrides)
        let sink = ErrorSink()
        let sweep = SweepSpec.parse(tree, sink: sink)
        if !sink.errors.isEmpty { throw ConfigErrors(errors: sink.errors) }
        let origin = Experiment.Source(text: text, overrides: overrides, directory: baseDirectory)
        guard let sweep else {
            return Experiment(cells: [Cell(parameters: [:], config: try validate(tree, registry: registry, baseDirectory: baseDirectory))], sweep: nil, source: origin)
        }
        if case .map(var top) = tree {
            top["sweep"] = nil
            top["zip"] = nil
            tree = .map(top)
        }
        var cells: [Cell] = []
        var errors: [ConfigError] = []
        var reported: Set<String> = []
        for parameters in sweep.grid {
            var cellTree = tree
            do {
                for key in parameters.keys.sorted() {
                    try cellTree.set(path: key.split(separator: ".").map(String.init), to: parameters[key]!, fullPath: key)
                }
                cells.append(Cell(parameters: parameters, config: try validate(cellTree, registry: registry, baseDirectory: baseDirectory)))
            } catch let e as ConfigErrors {
                let label = parameters.keys.sorted().map { "\($0)=\(parameters[$0]!.jsonText(pretty: false))" }.joined(separator: ", ")
                for err in e.errors where reported.insert(err.description).inserted {
                    errors.append(ConfigError(field: "sweep cell \(label): \(err.field)", value: err.value, allowed: err.allowed))
                }
            } catch let e as ConfigError {
                errors.append(ConfigError(field: "sweep.\(e.field)", value: e.value, allowed: e.allowed))
            }
        }
        if !errors.isEmpty { throw ConfigErrors(errors: errors) }
        // One form of metrics.csv for the whole run, however the sweep is written.
        if Set(cells.map(\.config.metricsFile)).count > 1 {
            throw ConfigErrors(errors: [ConfigError(field: "sweep", value: "cells with different output.metrics_file",
                                                    allowed: "one output.metrics_file for the whole run: set it outside sweep")])
        }
        var ids: [String: [String: JSONValue]] = [:]
        for cell in cells {
            if let other = ids[cell.id] {
                throw ConfigErrors(errors: [ConfigError(field: "sweep", value: "two cells with the same id \(cell.id) (\(JSONValue.map(other).jsonText(pretty: false)) and \(JSONValue.map(cell.parameters).jsonText(pretty: false)))",
                                                        allowed: "values that differ as written (e.g. 1 and 1.0 are the same value)")])
            }
            ids[cell.id] = cell.parameters
        }
        return Experiment(cells: cells, sweep: sweep, source: origin)
    }
}

extension ConfigReader {
    /// `sweep:` and `zip:` are read by ``ConfigLoader/parseExperiment(text:source:overrides:)``;
    /// a single config's validation skips them.
    func consumeSweep() {
        _ = raw("sweep")
        _ = raw("zip")
    }
}
