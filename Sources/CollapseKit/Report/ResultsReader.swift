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
        /// The median and interquartile range across replicates (NaN in a summary.csv
        /// written before the quantile columns).
        public var median: Double = .nan
        public var q25: Double = .nan
        public var q75: Double = .nan
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
    /// cell id → its chains' events (from events.csv, or the manifest's cells[].events[]
    /// in a folder written before events.csv).
    public let events: [String: [ChainEvent]]

    public init(folder: URL) throws(Problem) {
        self.folder = folder
        let recorded = try RecordedExperiment(folder: folder)
        self.manifest = recorded.manifest
        self.config = recorded.experiment.base
        self.cells = recorded.experiment.cells
        self.summary = try Self.readSummary(folder.appendingPathComponent(OutputFolder.summaryFile))
        self.snapshots = try Self.readSamples(folder.appendingPathComponent(SamplesTable.file))
        self.events = try Self.readEvents(folder.appendingPathComponent(EventsTable.file)) ?? Self.manifestEvents(manifest)
    }

    static func readEvents(_ url: URL) throws(Problem) -> [String: [ChainEvent]]? {
        guard let lines = try lines(url) else { return nil }
        guard lines.first.map(String.init) == EventsTable.header else {
            throw Problem(description: "\(url.path): header is not \(EventsTable.header)")
        }
        var out: [String: [ChainEvent]] = [:]
        for (i, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 4, let r = Int(f[1]), let g = Int(f[2]), let kind = ChainEvent.Kind(rawValue: String(f[3])) else {
                throw Problem(description: "\(url.path) line \(i + 2): not an events row")
            }
            out[String(f[0]), default: []].append(ChainEvent(kind: kind, replicate: r, generation: g))
        }
        return out
    }

    static func manifestEvents(_ manifest: [String: JSONValue]) -> [String: [ChainEvent]] {
        guard case .list(let cells)? = manifest["cells"] else { return [:] }
        var out: [String: [ChainEvent]] = [:]
        for case .map(let cell) in cells {
            guard let id = cell["cell"]?.asString, case .list(let events)? = cell["events"] else { continue }
            for case .map(let e) in events {
                guard case .int(let r)? = e["replicate"], case .int(let g)? = e["generation"],
                      let kind = e["event"]?.asString.flatMap(ChainEvent.Kind.init) else { continue }
                out[id, default: []].append(ChainEvent(kind: kind, replicate: r, generation: g))
            }
        }
        return out
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
        let header = lines.first.map(String.init)
        guard header == SummaryTable.header || header == SummaryTable.headerWithoutQuantiles else {
            throw Problem(description: "\(url.path): header is not \(SummaryTable.header)")
        }
        let width = header!.split(separator: ",").count
        var out: [String: [MetricName: [SummaryPoint]]] = [:]
        for (i, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == width, let g = Int(f[1]), let metric = MetricName(rawValue: String(f[2])) else {
                throw Problem(description: "\(url.path) line \(i + 2): not a summary row")
            }
            let number = { (s: Substring) in Double(s) ?? .nan }
            var point = SummaryPoint(generation: g, mean: number(f[3]), ciLow: number(f[5]), ciHigh: number(f[6]))
            if width == 13 {
                point.median = number(f[8])
                point.q25 = number(f[10])
                point.q75 = number(f[11])
            }
            out[String(f[0]), default: [:]][metric, default: []].append(point)
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
