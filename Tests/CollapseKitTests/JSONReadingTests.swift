import Foundation
import Testing
@testable import CollapseKit

/// run.json and manifest.json are read back through JSONValue's YAML parser
/// (JSONValue+Reading.swift): what jsonText writes reads back as the same tree.
@Suite struct JSONReadingTests {
    static let strings = ["", "123", "-4.5", "yes", "no", "null", "~", "true", "1/3", "a: b", "# not a comment",
                          "line\nbreak\ttab \"quoted\" back\\slash", "ünïcödé → ∞ 🙂", "\u{1}\u{1F}",
                          "del\u{7F}", "c1\u{80}\u{9F}", "nel\u{85}", "ls\u{2028}ps\u{2029}", "bom\u{FEFF}", "nc\u{FFFE}\u{FFFF}",
                          "  leading and trailing  ", "%YAML", "--- x", "&anchor *alias !tag"]

    static func roundTrip(_ value: JSONValue, pretty: Bool) throws -> [String: JSONValue]? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("json-reading-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(value.jsonText(pretty: pretty).utf8).write(to: url)
        return JSONValue.readObject(at: url)
    }

    @Test func whatIsWrittenReadsBack() throws {
        let tree = JSONValue.map([
            "config_hash": .string("0123456789abcdef"),
            "shard": .null,
            "chains": .int(80),
            "negative": .int(-3),
            "overrides": .list(Self.strings.map(JSONValue.string)),
            "empty_list": .list([]),
            "nested": .map(["list": .list([.int(1), .string("2"), .bool(false), .null]), "empty": .map([:])]),
        ])
        for pretty in [true, false] {
            #expect(try Self.roundTrip(tree, pretty: pretty).map(JSONValue.map) == tree, "pretty: \(pretty)")
        }
        for s in Self.strings {
            let back = try Self.roundTrip(.map(["s": .string(s)]), pretty: true)
            #expect(back?["s"]?.asString == s, "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func missingCorruptOrNonObjectFilesReadAsNil() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("json-reading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(JSONValue.readObject(at: dir.appendingPathComponent("missing.json")) == nil)
        for (name, bytes) in [("torn", Array("{\n  \"config_hash\": \"ab".utf8)), ("list", Array("[1, 2]".utf8)),
                              ("string", Array("\"x\"".utf8)), ("latin1", [0x7B, 0x22, 0xE9, 0x22, 0x3A, 0x31, 0x7D])] {
            let url = dir.appendingPathComponent(name + ".json")
            try Data(bytes).write(to: url)
            #expect(JSONValue.readObject(at: url) == nil, "\(name)")
        }
        #expect(JSONValue.list([.string("a"), .int(1)]).asStrings == nil)
        #expect(JSONValue.list([.string("a"), .string("b")]).asStrings == ["a", "b"])
    }
}
