import Foundation

/// Reading back the JSON files the harness writes (`manifest.json`, `.collapse/run.json`)
/// with the same parser as configs: JSON is YAML 1.2's flow style, and quoted scalars
/// stay strings (`"123"`, `"yes"` and `"null"` are not converted).
extension JSONValue {
    /// The top-level object of the JSON file at `url`, or nil when the file is missing,
    /// not UTF-8, not valid JSON/YAML, or not an object.
    static func readObject(at url: URL) -> [String: JSONValue]? {
        guard let data = FileManager.default.contents(atPath: url.path),
              let text = String(validating: data, as: UTF8.self),
              case .map(let object)? = try? parseYAML(escapingYAMLSpecials(text), source: url.path) else { return nil }
        return object
    }

    /// `text` with every character that JSON allows raw in a string but YAML does not
    /// read back as itself written as a `\u` escape: those outside YAML's printable set
    /// (DEL, C1 controls, U+FFFE, U+FFFF: a parse error), U+0085 (a YAML 1.1 line break,
    /// folded into a space), and, to be safe, the other characters YAML treats specially
    /// (U+2028, U+2029, U+FEFF). Outside strings JSON allows none of them, so the escapes
    /// only ever land inside strings.
    static func escapingYAMLSpecials(_ text: String) -> String {
        func special(_ c: Unicode.Scalar) -> Bool {
            switch c.value {
            case 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: return true
            default: return false
            }
        }
        guard text.unicodeScalars.contains(where: special) else { return text }
        var out = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            if special(c) { out.append(contentsOf: String(format: "\\u%04X", c.value).unicodeScalars) } else { out.append(c) }
        }
        return String(out)
    }

    /// The string, if this is one.
    var asString: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The strings, if this is a list of strings only.
    var asStrings: [String]? {
        guard case .list(let items) = self else { return nil }
        let strings = items.compactMap(\.asString)
        return strings.count == items.count ? strings : nil
    }
}
