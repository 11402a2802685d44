import Foundation

/// `output.metrics_file`: the form of the per-replicate table. `csv` writes
/// `metrics.csv`; `csv.gz` writes the same text gzipped as `metrics.csv.gz`; `none`
/// writes no per-replicate table (`summary.csv`, `cells.csv`, `events.csv` and the
/// manifest still are, and the journal in `.collapse/` keeps every value for resume
/// and merge). Not part of the config hash: shards of one config may use different
/// forms and still merge.
public enum MetricsFileForm: String, CaseIterable, Sendable {
    case csv
    case csvGz = "csv.gz"
    case none

    /// The file written, nil for `none`.
    public var fileName: String? {
        switch self {
        case .csv: return OutputFolder.metricsFile
        case .csvGz: return OutputFolder.metricsFile + ".gz"
        case .none: return nil
        }
    }

    /// A sink for the table's bytes in folder `url`, nil for `none`.
    func sink(in url: URL) throws -> (any TableSink)? {
        guard let fileName else { return nil }
        let target = url.appendingPathComponent(fileName)
        return self == .csvGz ? try GzipStream(target) : try AtomicFile.Stream(target)
    }

    /// The form whose file is in folder `url` (csv before csv.gz), nil when neither is.
    public static func present(in url: URL) -> MetricsFileForm? {
        [MetricsFileForm.csv, .csvGz].first { FileManager.default.fileExists(atPath: url.appendingPathComponent($0.fileName!).path) }
    }
}
