import Foundation

/// `exchange_rate.csv` and `parity.csv`: their columns, their text, and reading them
/// back for `collapse report`. Numbers are written as in `metrics.csv`
/// (``NumberFormat``); a value that is not identified or does not apply is empty.
public enum AnalysisTables {
    public static let exchangeRateFile = "exchange_rate.csv"
    public static let parityFile = "parity.csv"

    public static let exchangeRateColumns = ["arm", "metric", "size", "replicates", "utility", "utility_se", "fitted_utility",
                                             "real_set_size", "equivalent_real_size", "rate", "rate_low", "rate_high", "note"]
    public static let parityColumns = ["metric", "generation", "tolerance", "real_fraction", "replicates", "mean", "se",
                                       "difference", "within_tolerance", "parity"]

    static func number(_ x: Double?) -> String { x.map(NumberFormat.double) ?? "" }

    static func line(_ fields: [String]) -> String { fields.map(CellsTable.quote).joined(separator: ",") + "\n" }

    /// The exchange-rate table: the real arm's rows (`arm` real, by r), then the
    /// synthetic arm's (`arm` synthetic, by n then s).
    public static func exchangeRate(_ result: ExchangeRate.Result, metric: String, realMetric: String) -> String {
        var text = line(exchangeRateColumns)
        for p in result.real {
            text += line(["real", realMetric, String(p.size), String(p.replicates), number(p.mean), number(p.se),
                          number(p.fitted), "", "", "", "", "", ""])
        }
        for p in result.synthetic {
            text += line(["synthetic", metric, String(p.size), String(p.replicates), number(p.mean), number(p.se), "",
                          String(p.realSetSize), number(p.equivalentRealSize), number(p.rate), number(p.rateLow),
                          number(p.rateHigh), p.note])
        }
        return text
    }

    /// The parity table: one row per share, ascending.
    public static func parity(_ result: Parity.Result, metric: String, generation: Int, tolerance: Double) -> String {
        var text = line(parityColumns)
        for p in result.points {
            text += line([metric, String(generation), number(tolerance), number(p.share), String(p.replicates), number(p.mean),
                          number(p.se), number(p.difference), String(p.withinTolerance), String(p.isParity)])
        }
        return text
    }

    /// A table written by this module, read back as rows of column → text (nil when the
    /// file is absent or not such a table).
    static func read(_ url: URL, columns: [String]) -> [[String: String]]? {
        guard FileManager.default.fileExists(atPath: url.path), let file = try? DataFile.read(url.path),
              let table = try? CSVTable.parse(file), table.header == columns else { return nil }
        return (0..<table.rowCount).map { i in
            Dictionary(uniqueKeysWithValues: table.header.indices.map { (table.header[$0], table.columns[$0][i]) })
        }
    }

    /// Writes `text` to `folder/file` atomically, creating `folder`; an existing file is
    /// replaced only with `force`.
    public static func write(_ text: String, file: String, folder: String, force: Bool) throws(AnalysisError) -> URL {
        let url = URL(fileURLWithPath: folder).appendingPathComponent(file)
        if FileManager.default.fileExists(atPath: url.path), !force { throw .outputExists(path: url.path) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try AtomicFile.write(text, to: url)
        } catch let e as OutputError {
            throw .cannotWrite(path: url.path, reason: e.description)
        } catch {
            throw .cannotWrite(path: url.path, reason: error.localizedDescription)
        }
        return url
    }
}
