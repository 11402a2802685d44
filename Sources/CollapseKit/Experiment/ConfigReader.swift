/// Reads one map of a config tree field by field, recording a ``ConfigError`` for
/// each missing, mistyped or out-of-range value and, at ``finish()``, for each key
/// nobody asked for. Readers return nil on error so validation can go on.
public final class ConfigReader {
    public let path: String
    private let map: [String: JSONValue]
    private var consumed: Set<String> = []
    private let sink: ErrorSink
    /// The folder relative file paths in the config start from (the config file's).
    public let baseDirectory: String

    init(_ value: JSONValue?, path: String, sink: ErrorSink, baseDirectory: String) {
        self.path = path
        self.sink = sink
        self.baseDirectory = baseDirectory
        switch value {
        case .map(let m): self.map = m
        case nil, .null?: self.map = [:]
        case let other?:
            self.map = [:]
            sink.add(ConfigError(field: path.isEmpty ? "(top level)" : path,
                                 value: other.typeName, allowed: "a map of keys"))
        }
    }

    /// The dotted field name of `key` (for messages).
    public func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// True when `key` is present and not null (does not mark it read).
    public func has(_ key: String) -> Bool { map[key] != nil && map[key] != .null }

    /// The value of `key`, marking it read; nil when absent or null.
    public func raw(_ key: String) -> JSONValue? {
        consumed.insert(key)
        guard let v = map[key], v != .null else { return nil }
        return v
    }

    /// Records an error for `key`: the value it got and what is allowed.
    public func fail(_ key: String, _ value: String, _ allowed: String) {
        sink.add(ConfigError(field: field(key), value: value, allowed: allowed))
    }

    /// A reader of the map at `key` (an error when it is not a map).
    public func child(_ key: String) -> ConfigReader {
        ConfigReader(raw(key), path: field(key), sink: sink, baseDirectory: baseDirectory)
    }

    /// A string, optionally one of `choices`; `def` when absent (an error when there is no default).
    public func string(_ key: String, default def: String? = nil, oneOf choices: [String]? = nil) -> String? {
        guard let v = raw(key) else {
            if def == nil { fail(key, "nothing", choices.map { "one of \($0.joined(separator: ", "))" } ?? "a string") }
            return def
        }
        guard case .string(let s) = v else {
            fail(key, v.shortDescription, choices.map { "one of \($0.joined(separator: ", "))" } ?? "a string")
            return nil
        }
        if let choices, !choices.contains(s) {
            fail(key, "'\(s)'", "one of \(choices.joined(separator: ", "))")
            return nil
        }
        return s
    }

    /// An integer in `range`; `def` when absent. Errors name both ends of the range
    /// ("an integer in 2 … 2147483647"), followed by `note` when given.
    public func int(_ key: String, default def: Int? = nil, range: ClosedRange<Int>, note: String? = nil) -> Int? {
        let allowed = Self.integerText(range) + (note.map { " (\($0))" } ?? "")
        guard let v = raw(key) else {
            if def == nil { fail(key, "nothing", allowed) }
            return def
        }
        let i: Int
        switch v {
        case .int(let x): i = x
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: i = Int(d)
        default:
            fail(key, v.shortDescription, allowed)
            return nil
        }
        guard range.contains(i) else {
            fail(key, String(i), allowed)
            return nil
        }
        return i
    }

    /// "an integer in a … b": what an integer field in `range` allows.
    public static func integerText(_ range: ClosedRange<Int>) -> String {
        "an integer in \(range.lowerBound) … \(range.upperBound)"
    }

    /// A finite number satisfying `valid`, described by `allowed` in errors.
    public func double(_ key: String, default def: Double? = nil, allowed: String,
                valid: (Double) -> Bool = { _ in true }) -> Double? {
        guard let v = raw(key) else {
            if def == nil { fail(key, "nothing", allowed) }
            return def
        }
        return Self.number(v, field: field(key), allowed: allowed, valid: valid, sink: sink)
    }

    /// The sink, for nested values read outside this reader's own keys.
    public var sinkForNested: ErrorSink { sink }

    /// A list of numbers from an already-fetched value.
    public func doublesFrom(_ v: JSONValue, key: String, allowed: String, valid: (Double) -> Bool) -> [Double]? {
        guard case .list(let items) = v, !items.isEmpty else {
            fail(key, v.shortDescription, allowed)
            return nil
        }
        var out: [Double] = []
        for (i, item) in items.enumerated() {
            guard let x = Self.number(item, field: "\(field(key))[\(i)]", allowed: allowed,
                                      valid: valid, sink: sink) else { return nil }
            out.append(x)
        }
        return out
    }

    /// A number or a list of numbers.
    public func doubles(_ key: String, allowed: String, valid: (Double) -> Bool = { _ in true }) -> [Double]? {
        guard let v = raw(key) else { return nil }
        switch v {
        case .list: return doublesFrom(v, key: key, allowed: allowed, valid: valid)
        default:
            return Self.number(v, field: field(key), allowed: allowed, valid: valid, sink: sink).map { [$0] }
        }
    }

    public static func number(_ v: JSONValue, field: String, allowed: String,
                       valid: (Double) -> Bool, sink: ErrorSink) -> Double? {
        let x: Double
        switch v {
        case .int(let i): x = Double(i)
        case .double(let d): x = d
        default:
            sink.add(ConfigError(field: field, value: v.shortDescription, allowed: allowed))
            return nil
        }
        guard x.isFinite, valid(x) else {
            sink.add(ConfigError(field: field, value: NumberFormat.double(x), allowed: allowed))
            return nil
        }
        return x
    }

    /// Records an error for every key present but never read (a known key set to null,
    /// as a sweep cell without it writes, is absent, not unknown).
    public func finish(allowedKeys: [String]? = nil) {
        let unknown = map.keys.filter { key in
            !consumed.contains(key) && !(map[key] == .null && (allowedKeys?.contains(key) ?? false))
        }.sorted()
        let known = (allowedKeys ?? consumed.sorted()).joined(separator: ", ")
        for key in unknown {
            sink.add(ConfigError(field: field(key), value: "an unknown key",
                                 allowed: known.isEmpty ? "no keys here" : "the keys \(known)"))
        }
    }
}

/// Collects config errors across readers.
public final class ErrorSink {
    private(set) var errors: [ConfigError] = []
    public func add(_ e: ConfigError) { errors.append(e) }
}
