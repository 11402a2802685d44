import ArgumentParser
import CollapseKit

/// `collapse validate CONFIG`: print the resolved config, or every error in it.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a config and print it with every default filled in.")

    @Argument(help: "Experiment config (YAML or JSON).")
    var config: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a field: key.path=value.", valueName: "key=value"))
    var overrides: [String] = []

    @Flag(help: "Print the resolved config as JSON instead of YAML.")
    var json = false

    func run() throws {
        let resolved = try loadConfig(path: config, overrides: overrides)
        print(json ? resolved.jsonValue.jsonText(pretty: true) : resolved.jsonValue.yamlText(), terminator: json ? "\n" : "")
    }
}
