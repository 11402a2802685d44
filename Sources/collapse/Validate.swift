import ArgumentParser
import CollapseKit

/// `collapse validate CONFIG`: print the resolved config, or every error in it.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a config and print it with every default filled in.")

    @Argument(help: "Experiment config (YAML or JSON).")
    var config: String

    @OptionGroup var configOptions: ConfigOptions

    @Flag(help: "Print the resolved config as JSON instead of YAML.")
    var json = false

    func run() throws {
        let experiment = try configOptions.loadExperiment(path: config)
        let resolved = experiment.jsonValue
        print(json ? resolved.jsonText(pretty: true) : resolved.yamlText(), terminator: json ? "\n" : "")
        if !json, experiment.sweep != nil {
            // The grid, as YAML comments: the swept keys above show the first cell's values.
            print("# \(experiment.cells.count) cells, \(experiment.chainCount) chains (cells.csv):")
            for line in CellsTable.csv(experiment).split(separator: "\n") { print("#   \(line)") }
        }
    }
}
