import CYaml

/// Checks YAML text before anything is composed from it: its size (config text only),
/// its nesting depth, and that it has no anchors (`&name`) or aliases (`*name`).
///
/// The check walks libyaml's parser events (the same parser Yams composes with), so
/// an anchor or alias is refused the moment its event is read, before any node is
/// built or expanded: an alias bomb costs one pass over its text. What counts as an
/// anchor or alias is exactly what libyaml reports, so `&` or `*` inside a quoted or
/// block scalar, or in a comment, is text, as YAML says. A syntax error ends the check
/// quietly: Yams reports it, with its line and column, when it composes the text.
public enum YAMLGuard {
    /// The largest config text accepted, in bytes (1 MiB).
    public static let maximumBytes = 1 << 20
    /// The deepest nesting of maps and lists accepted (the top-level map is depth 1).
    public static let maximumDepth = 64

    /// Throws a ``ConfigError`` naming `source` for config text over ``maximumBytes``
    /// (configs and `--set` values; files the harness writes itself may be larger).
    public static func checkSize(_ text: String, source: String) throws {
        let size = text.utf8.count
        if size > maximumBytes {
            throw ConfigError(field: source, value: "\(size) bytes of text",
                              allowed: "at most \(maximumBytes) bytes (1 MiB)")
        }
    }

    /// Throws a ``ConfigError`` naming `source` for nesting deeper than ``maximumDepth``
    /// or the first anchor or alias.
    public static func checkEvents(_ text: String, source: String) throws {
        var text = text
        try text.withUTF8 { try scan($0, source: source) }
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, source: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        var depth = 0
        while true {
            var event = yaml_event_t()
            // A syntax error: left to the composer, which names it.
            guard yaml_parser_parse(&parser, &event) == 1 else { return }
            defer { yaml_event_delete(&event) }
            let at = "line \(event.start_mark.line + 1), column \(event.start_mark.column + 1)"
            let anchor: UnsafeMutablePointer<yaml_char_t>?
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_ALIAS_EVENT:
                throw refusal(source, "the YAML alias *\(name(event.data.alias.anchor)) at \(at)")
            case YAML_SCALAR_EVENT:
                anchor = event.data.scalar.anchor
            case YAML_SEQUENCE_START_EVENT:
                anchor = event.data.sequence_start.anchor
                depth += 1
            case YAML_MAPPING_START_EVENT:
                anchor = event.data.mapping_start.anchor
                depth += 1
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                anchor = nil
                depth -= 1
            default:
                anchor = nil
            }
            if let anchor {
                throw refusal(source, "the YAML anchor &\(name(anchor)) at \(at)")
            }
            if depth > maximumDepth {
                throw ConfigError(field: source, value: "maps and lists nested \(depth) deep at \(at)",
                                  allowed: "nesting at most \(maximumDepth) deep")
            }
        }
    }

    private static func refusal(_ source: String, _ what: String) -> ConfigError {
        ConfigError(field: source, value: what, allowed: "plain values (no anchors or aliases): write the value out")
    }

    private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        guard let pointer else { return "" }
        return String(cString: UnsafePointer(pointer))
    }
}
