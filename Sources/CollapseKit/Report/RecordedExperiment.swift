import Foundation

/// The experiment a results folder was run with, rebuilt from its `manifest.json`:
/// the manifest's `config` (the resolved config, with its sweep) read again from its
/// `config_directory`, and checked against its `config_hash`. What `collapse report`
/// and `collapse theory DIR` start from.
public struct RecordedExperiment {
    public let folder: URL
    public let manifest: [String: JSONValue]
    public let experiment: Experiment

    /// True when `folder` holds a `manifest.json` (it may still fail to read).
    public static func isResultsFolder(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(OutputFolder.manifestFile).path)
    }

    public init(folder: URL) throws(ResultsReader.Problem) {
        self.folder = folder
        let manifestURL = folder.appendingPathComponent(OutputFolder.manifestFile)
        guard let text = try? String(contentsOf: manifestURL, encoding: .utf8) else {
            throw ResultsReader.Problem(description: "\(folder.path): no readable manifest.json; run `collapse run` into this folder first")
        }
        // The manifest's config is the experiment's resolved config (with its sweep), so
        // rebuilding the experiment from it gives every cell's resolved config.
        guard case .map(let manifest)? = try? JSONValue.parseYAML(text, source: "manifest.json"),
              let configTree = manifest["config"] else {
            throw ResultsReader.Problem(description: "\(manifestURL.path): not a collapse manifest with a valid config")
        }
        let experiment: Experiment
        do {
            experiment = try ConfigLoader.parseExperiment(
                text: configTree.jsonText(pretty: false), source: "manifest.json",
                baseDirectory: RecordedConfigDirectory.resolve(manifest["config_directory"]?.asString, resultsFolder: folder))
        } catch let errors as ConfigErrors {
            // A file-backed config needs its data file (at the path the run read, or
            // with the same SHA-256) to rebuild its cells.
            throw ResultsReader.Problem(description: "\(manifestURL.path): its config no longer validates:\n"
                                        + errors.errors.map { "  \($0)" }.joined(separator: "\n"))
        } catch {
            throw ResultsReader.Problem(description: "\(manifestURL.path): not a collapse manifest with a valid config")
        }
        if case .string(let hash)? = manifest["config_hash"], hash != experiment.hash {
            throw ResultsReader.Problem(description: "\(manifestURL.path): config_hash \(hash) does not match its config (\(experiment.hash))")
        }
        self.manifest = manifest
        self.experiment = experiment
    }
}
