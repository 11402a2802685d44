import Foundation
import Yams

/// A JSON-shaped value tree: what a YAML or JSON config parses into before it is
/// validated, and what resolved configs and manifests are written from. Maps keep
/// keys sorted when written, so the same tree always gives the same bytes.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([JSONValue])
    case map([String: JSONValue])

    /// Parses YAML (JSON is accepted too: it is YAML's flow style). ``YAMLGuard``
    /// checks the events first: no anchors or aliases, nesting at most 64 deep.
    /// - Throws: ``ConfigError`` with the line and column of the syntax error.
    public static func parseYAML(_ text: String, source: String) throws -> JSONValue {
        try YAMLGuard.checkEvents(text, source: source)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(field: source, value: "malformed YAML",
                              allowed: "valid YAML or JSON (\(Self.describeYAMLError(error)))")
        }
        guard let node else { return .map([:]) }
        return try JSONValue(node: node, path: "")
    }

    /// Yams's message on one line, cut at 300 characters (it quotes the faulty line,
    /// which may be the whole file).
    private static func describeYAMLError(_ error: Error) -> String {
        let text = String(describing: error).replacingOccurrences(of: "\n", with: " ")
            .trimmingCharacters(in: .whitespaces)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    init(node: Node, path: String) throws {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: self = .null
            case Tag.Name.bool.rawValue: self = node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue: self = node.int.map(JSONValue.int) ?? .string(scalar.string)
            case Tag.Name.float.rawValue: self = node.float.map(JSONValue.double) ?? .string(scalar.string)
            default: self = .string(scalar.string)
            }
        case .sequence(let seq):
            self = .list(try seq.enumerated().map { try JSONValue(node: $1, path: "\(path)[\($0)]") })
        case .mapping(let mapping):
            var out: [String: JSONValue] = [:]
            for (k, v) in mapping {
                guard let key = k.string else {
                    throw ConfigError(field: path.isEmpty ? "(top level)" : path,
                                      value: "a non-string key", allowed: "string keys")
                }
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if out[key] != nil {
                    throw ConfigError(field: childPath, value: "a repeated key", allowed: "each key once")
                }
                out[key] = try JSONValue(node: v, path: childPath)
            }
            self = .map(out)
        case .alias:
            throw ConfigError(field: path, value: "a YAML alias", allowed: "plain values (no anchors or aliases)")
        }
    }

    /// A short rendering for error messages: scalars as written, containers in JSON.
    public var shortDescription: String {
        switch self {
        case .string(let s): return "'\(s)'"
        default: return jsonText(pretty: false)
        }
    }

    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .list: return "a list"
        case .map: return "a map"
        }
    }

    // MARK: Writing

    /// JSON text with sorted keys; `pretty` indents by two spaces.
    public func jsonText(pretty: Bool) -> String {
        var out = ""
        writeJSON(into: &out, pretty: pretty, indent: 0)
        return out
    }

    private func writeJSON(into out: inout String, pretty: Bool, indent: Int) {
        let pad = pretty ? String(repeating: " ", count: indent + 2) : ""
        let closePad = pretty ? String(repeating: " ", count: indent) : ""
        let newline = pretty ? "\n" : ""
        let separator = pretty ? "," : ", "
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? NumberFormat.double(d) : "null"
        case .string(let s): out += Self.quoted(s)
        case .list(let items):
            if items.isEmpty { out += "[]"; return }
            let scalarsOnly = items.allSatisfy { !$0.isContainer }
            if scalarsOnly {
                out += "[" + items.map { $0.jsonText(pretty: false) }.joined(separator: ", ") + "]"
                return
            }
            out += "[" + newline
            for (i, item) in items.enumerated() {
                out += pad
                item.writeJSON(into: &out, pretty: pretty, indent: indent + 2)
                out += (i < items.count - 1 ? separator : "") + newline
            }
            out += closePad + "]"
        case .map(let dict):
            if dict.isEmpty { out += "{}"; return }
            out += "{" + newline
            let keys = dict.keys.sorted()
            for (i, key) in keys.enumerated() {
                out += pad + Self.quoted(key) + ": "
                dict[key]!.writeJSON(into: &out, pretty: pretty, indent: indent + 2)
                out += (i < keys.count - 1 ? separator : "") + newline
            }
            out += closePad + "}"
        }
    }

    var isContainer: Bool {
        switch self {
        case .list, .map: return true
        default: return false
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }

    /// YAML text (block style, sorted keys) for people to read.
    public func yamlText() -> String {
        var out = ""
        writeYAML(into: &out, indent: 0)
        return out
    }

    private func writeYAML(into out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .map(let dict):
            for key in dict.keys.sorted() {
                let value = dict[key]!
                if case .map(let inner) = value, !inner.isEmpty {
                    out += "\(pad)\(key):\n"
                    value.writeYAML(into: &out, indent: indent + 2)
                } else {
                    out += "\(pad)\(key): \(value.jsonText(pretty: false))\n"
                }
            }
        default:
            out += pad + jsonText(pretty: false) + "\n"
        }
    }

    // MARK: Editing

    /// Sets the value at a dotted path, creating maps on the way.
    public mutating func set(path: [String], to newValue: JSONValue, fullPath: String) throws {
        guard let head = path.first else { self = newValue; return }
        guard case .map(var dict) = self else {
            throw ConfigError(field: fullPath, value: "a path through \(typeName)",
                              allowed: "a dotted path through maps, e.g. policy.real_fraction")
        }
        var child = dict[head] ?? .map([:])
        try child.set(path: Array(path.dropFirst()), to: newValue, fullPath: fullPath)
        dict[head] = child
        self = .map(dict)
    }
}

/// Number formatting shared by every file the harness writes: the shortest text that
/// reads back to the same Double, `NaN`, `Inf` and `-Inf` (read by pandas and R).
public enum NumberFormat {
    public static func double(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        if x == 0 { return "0" }  // also maps −0 to 0
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }
}
