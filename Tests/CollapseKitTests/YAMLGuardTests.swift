import Foundation
import Testing
@testable import CollapseKit

/// The config reader refuses anchors and aliases from libyaml's events, before any node
/// is built, and caps the config text's size and nesting (YAMLGuard.swift).
@Suite struct YAMLGuardTests {
    /// Eight levels of nine aliases each: 9⁸ ≈ 4.3 × 10⁷ nodes once expanded.
    static let aliasBomb: String = {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for i in 1...8 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]") }
        return lines.joined(separator: "\n") + "\n"
    }()

    func error(_ yaml: String) -> String? {
        do {
            _ = try ConfigLoader.parse(text: yaml)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    @Test func theAliasBombIsRefusedAtItsFirstAnchorWithinASecond() {
        let start = Date()
        let message = error(Self.aliasBomb)
        let seconds = Date().timeIntervalSince(start)
        #expect(message == "config: got the YAML anchor &a0 at line 1, column 5; allowed: plain values (no anchors or aliases): write the value out")
        #expect(seconds < 1, "took \(seconds) s")
    }

    @Test(arguments: [
        ("samples: &n 10", "config: got the YAML anchor &n at line 1, column 10"),
        ("real: &r { distribution: normal }", "config: got the YAML anchor &r at line 1, column 7"),
        ("metrics: &m [variance]", "config: got the YAML anchor &m at line 1, column 10"),
        ("samples: 10\nreplicates: *undefined", "config: got the YAML alias *undefined at line 2, column 13"),
        ("? &k samples\n: 10", "config: got the YAML anchor &k at line 1, column 3"),
    ])
    func anchorsAndAliasesAreNamedWithTheirPlace(_ yaml: String, expected: String) {
        let message = error(yaml)
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "accepted")")
    }

    /// `&` and `*` that are text, not YAML syntax: quoted, inside a plain scalar, in a
    /// block scalar, in a comment.
    @Test func ampersandsAndStarsInTextAreNotAnchors() throws {
        let yaml = """
        name: "R&D-*x"   # &comment *comment
        sweep:
          real.distribution: ['normal', "&normal"]
        output: { collapse: { metric: variance, below: 0.5 } }

        """
        let tree = try JSONValue.parseYAML(yaml, source: "config")
        #expect(tree.jsonText(pretty: false).contains("\"&normal\""))
        #expect(try JSONValue.parseYAML("a: b&c*d\nq: 'x &y *z'\nblock: |\n  &e *f\n", source: "t")
                == .map(["a": .string("b&c*d"), "q": .string("x &y *z"), "block": .string("&e *f\n")]))
        // A plain `a&b` reaches validation, where the name rule (not the guard) refuses it.
        #expect(error("name: a&b\n")?.hasPrefix("name: got 'a&b'; allowed: letters") == true)
    }

    @Test func anAliasInASetValueIsRefused() {
        do {
            _ = try ConfigLoader.parse(text: "{}", overrides: ["samples=&a 10"])
            Issue.record("accepted")
        } catch {
            #expect(String(describing: error) == "--set samples: got the YAML anchor &a at line 1, column 1; allowed: plain values (no anchors or aliases): write the value out")
        }
    }

    @Test func nestingDeeperThan64IsRefused() throws {
        let deep = { (n: Int) in "x: " + String(repeating: "[", count: n - 1) + String(repeating: "]", count: n - 1) }
        // The top-level map is depth 1, so x's lists reach depth 64 and 65.
        try YAMLGuard.checkEvents(deep(64), source: "config")
        #expect(throws: ConfigError(field: "config", value: "maps and lists nested 65 deep at line 1, column 67",
                                    allowed: "nesting at most 64 deep")) {
            try YAMLGuard.checkEvents(deep(65), source: "config")
        }
        // Deep enough to overflow a recursive composer's stack: refused by libyaml's own
        // limit (1000 levels, met before the first event), in a message of bounded length.
        let message = error(deep(200_000)) ?? "accepted"
        #expect(message.contains("Maximum nesting level reached") && message.count < 500, "\(message.prefix(600))")
    }

    @Test func configTextOver1MiBIsRefused() throws {
        let base = "samples: 10\n"
        let padding = String(repeating: "#", count: YAMLGuard.maximumBytes - base.utf8.count - 1) + "\n"
        #expect(try ConfigLoader.parse(text: base + padding).samples == 10)
        let over = base + padding + "\n"
        #expect(error(over) == "config: got 1048577 bytes of text; allowed: at most 1048576 bytes (1 MiB)")
    }

    @Test func aFileOver1MiBIsRefusedBeforeItIsRead() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("big-config-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(("samples: 10\n" + String(repeating: "#", count: YAMLGuard.maximumBytes)).utf8).write(to: url)
        #expect(throws: ConfigErrors.self) { try ConfigLoader.readFile(url.path) }
        do { _ = try ConfigLoader.readFile(url.path) } catch {
            #expect(String(describing: error) == "CONFIG: got '\(url.path)' of 1048588 bytes; allowed: a config file of at most 1048576 bytes (1 MiB)")
        }
    }
}
