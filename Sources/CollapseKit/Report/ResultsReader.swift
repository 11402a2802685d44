import Foundation

/// A results folder read back for the report: the manifest (and the resolved config
/// in it), `summary.csv` and, when present, `samples.csv`.
public struct ResultsReader {
    /// Why a folder cannot be reported on.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    public struct SummaryPoint {
        public var generation: Int
        public var mean: Double
        public var ciLow: Double
        public var ciHigh: Double
    }

    public let folder: URL
    public let manifest: [String: JSONValue]
    public let config: ExperimentConfig
    /// The cells in the manifest's order, with their resolved configs.
    public let cells: [Cell]
    /// cell id → metric → points by generation.
    public let summary: [String: [MetricName: [SummaryPoint]]]
    /// cell id → snapshots (empty without samples.csv).
    public let snapshots: [String: [Snapshot]]

    public init(folder: URL) throws(Problem) {
        self.folder = folder
        let recorded = try RecordedExperiment(folder: folder)
        self.manifest = recorded.manifest
        self.config = recorded.experiment.base
        self.cells = recorded.experiment.cells
        self.summary = try Self.readSummary(folder.appendingPathComponent(OutputFolder.summaryFile))
        self.snapshots = try Self.readSamples(folder.appendingPathComponent(SamplesTable.file))
    }

    static func lines(_ url: URL) throws(Problem) -> [Substring]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw Problem(description: "\(url.path): not readable as UTF-8")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: true)
    }

    static func readSummary(_ url: URL) throws(Problem) -> [String: [MetricName: [SummaryPoint]]] {
        guard let lines = try lines(url) else { throw Problem(description: "\(url.path) is missing") }
        guard lines.first.map(String.init) == SummaryTable.header else {
            throw Problem(description: "\(url.path): header is not \(SummaryTable.header)")
        }
        var out: [String: [MetricName: [SummaryPoint]]] = [:]
        for (i, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 8, let g = Int(f[1]), let metric = MetricName(rawValue: String(f[2])) else {
                throw Problem(description: "\(url.path) line \(i + 2): not a summary row")
            }
            let number = { (s: Substring) in Double(s) ?? .nan }
            out[String(f[0]), default: [:]][metric, default: []].append(
                SummaryPoint(generation: g, mean: number(f[3]), ciLow: number(f[5]), ciHigh: number(f[6])))
        }
        return out
    }

    static func readSamples(_ url: URL) throws(Problem) -> [String: [Snapshot]] {
        guard let lines = try lines(url), let header = lines.first else { return [:] }
        let width = header.split(separator: ",").count - 3
        var rows: [String: [Int: [Double]]] = [:]
        var widths: [String: Int] = [:]
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == width + 3, let g = Int(f[1]) else {
                throw Problem(description: "\(url.path): malformed row '\(line)'")
            }
            let values = f[3...].filter { !$0.isEmpty }.map { Double($0) ?? .nan }
            widths[String(f[0])] = values.count
            rows[String(f[0]), default: [:]][g, default: []].append(contentsOf: values)
        }
        var out: [String: [Snapshot]] = [:]
        for (id, byGeneration) in rows {
            let w = widths[id] ?? 1
            out[id] = byGeneration.keys.sorted().map { Snapshot(generation: $0, width: w, values: byGeneration[$0]!) }
        }
        return out
    }
}
