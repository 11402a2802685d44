import Foundation

/// A results folder as `collapse analyze` reads it: the cells and their resolved
/// configs (through ``ExportedFolder``, the reader of `collapse export`), and the
/// per-replicate values of `metrics.csv` (or `metrics.csv.gz`).
struct AnalysisFolder {
    let path: String
    let folder: ExportedFolder
    /// Cell → (replicate, generation, metric, value) rows, in file order.
    let rows: [String: [[String]]]
    private let column: (replicate: Int, generation: Int, metric: Int, value: Int)

    init(path: String) throws(AnalysisError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingFolder(path: path)
        }
        do throws(ExportError) {
            folder = try ExportedFolder(path: path)
            let table = try folder.read(.metrics)
            guard let r = table.columns.firstIndex(of: "replicate"), let g = table.columns.firstIndex(of: "generation"),
                  let m = table.columns.firstIndex(of: "metric"), let v = table.columns.firstIndex(of: "value") else {
                throw ExportError.badTable(path: URL(fileURLWithPath: path).appendingPathComponent(OutputFolder.metricsFile).path,
                                           problem: "header \(table.columns.joined(separator: ",")); allowed: cell,replicate,generation,metric,value")
            }
            column = (r, g, m, v)
            rows = table.rows
        } catch {
            if case .metricsNotWritten = error { throw .metricsNotWritten(path: path) }
            throw .folder(error)
        }
    }

    /// Every metric name in the table, sorted.
    var metricNames: [String] { Set(rows.values.joined().map { $0[column.metric] }).sorted() }

    /// Cell → the finite values of `metric` at `generation`, in replicate order (cells
    /// without any row of it are absent).
    func values(_ metric: String, generation: Int) throws(AnalysisError) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        let g = String(generation)
        for (cell, list) in rows {
            for row in list where row[column.metric] == metric && row[column.generation] == g {
                guard let v = Double(row[column.value]) ?? Self.special(row[column.value]) else {
                    throw .folder(.badTable(path: URL(fileURLWithPath: path).appendingPathComponent(OutputFolder.metricsFile).path,
                                            problem: "cell \(cell): value '\(row[column.value])' of \(metric) is not a number"))
                }
                out[cell, default: []].append(v)
            }
        }
        return out.mapValues { $0.filter(\.isFinite) }
    }

    /// The generations at which `metric` has rows.
    func generations(of metric: String) -> [Int] {
        Set(rows.values.joined().filter { $0[column.metric] == metric }.compactMap { Int($0[column.generation]) }).sorted()
    }

    /// `NaN`, `Inf`, `-Inf` as `metrics.csv` writes them.
    private static func special(_ s: String) -> Double? {
        switch s {
        case "NaN": return .nan
        case "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return nil
        }
    }

    /// A cell's config value at a dotted path, as `cells.csv` writes it (nil: absent).
    func leaf(_ cell: String, _ path: String) -> String? { folder.configs[cell]?[path] }

    /// An integer config value of a cell.
    func integer(_ cell: String, _ path: String) throws(AnalysisError) -> Int {
        let text = leaf(cell, path) ?? "nothing"
        guard let n = Int(text) else { throw .badValue(cell: cell, path: path, value: text, allowed: "an integer") }
        return n
    }

    /// The config paths whose values differ among `cells`, sorted.
    func differingKeys(_ cells: [String]) -> [String] {
        let paths = Set(cells.flatMap { folder.configs[$0]?.keys.map { $0 } ?? [] })
        return paths.filter { p in Set(cells.map { folder.configs[$0]?[p] }).count > 1 }.sorted()
    }
}
