import Foundation

/// The results folder of one experiment: `metrics.csv`, `summary.csv`,
/// `manifest.json`. Guards existing results: a folder holding another config's
/// results, or anything that is not collapse's, is refused before anything is written.
public struct OutputFolder {
    public let url: URL

    public static let metricsFile = "metrics.csv"
    public static let summaryFile = "summary.csv"
    public static let manifestFile = "manifest.json"

    public init(path: String) { url = URL(fileURLWithPath: path) }

    /// Checks that results of the config with hash `configHash` may be written here,
    /// without creating or changing anything.
    public func checkWritable(configHash: String) throws {
        var isDir: ObjCBool = false
        let fm = FileManager.default
        guard fm.fileExists(atPath: url.path, isDirectory: &isDir) else { return }
        guard isDir.boolValue else { throw OutputError.notADirectory(path: url.path) }
        let entries = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
        // Empty, or holding only `collapse theory`'s output (written before any run).
        if entries.allSatisfy({ $0 == TheoryTable.file }) { return }
        let manifestURL = url.appendingPathComponent(Self.manifestFile)
        guard let data = fm.contents(atPath: manifestURL.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let existing = object["config_hash"] as? String else {
            throw OutputError.foreignFolder(path: url.path)
        }
        if existing != configHash {
            throw OutputError.differentConfig(path: url.path, existing: existing, requested: configHash)
        }
    }

    /// Writes the three result files (manifest last, so a manifest means complete
    /// results). Checks the folder again first: another run may have written there
    /// since the check before this run started.
    /// `extraFiles` (name → contents, e.g. `samples.csv`) are written before the manifest too.
    public func write(results: [CellResult], manifest: JSONValue, configHash: String,
                      extraFiles: [(name: String, text: String)] = []) throws {
        try checkWritable(configHash: configHash)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw OutputError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
        try AtomicFile.write(MetricsTable.csv(results), to: url.appendingPathComponent(Self.metricsFile))
        try AtomicFile.write(SummaryTable.csv(results), to: url.appendingPathComponent(Self.summaryFile))
        for file in extraFiles { try AtomicFile.write(file.text, to: url.appendingPathComponent(file.name)) }
        try AtomicFile.write(manifest.jsonText(pretty: true) + "\n", to: url.appendingPathComponent(Self.manifestFile))
    }
}
