import Foundation

/// `collapse export`: results folders into one tidy CSV table for pandas or R.
///
/// Columns: `experiment` (the manifest's name; see ``labels(_:)``), `cell`, the config
/// columns sorted by name (``ExportColumns``), then the chosen table's data columns in
/// file order. Rows: experiments by name, cells by id, then each cell's rows in file
/// order (summary.csv and metrics.csv are sorted by their keys), or for `events` by
/// replicate, generation and event. Nothing is written unless every folder reads.
public enum TidyExport {
    /// What was exported.
    public struct Written: Sendable {
        public var rows: Int
        public var experiments: Int
        public var configColumns: [String]
    }

    /// Reads `folders` (a folder given twice, after resolving links, is read once and
    /// reported to `warning`) and writes the table to `out`, which must not exist.
    public static func export(folders: [String], table: ExportTable, to out: String,
                              warning: (String) -> Void = { _ in }) throws(ExportError) -> Written {
        let outURL = URL(fileURLWithPath: out)
        if FileManager.default.fileExists(atPath: outURL.path) { throw .outputExists(path: out) }
        var seen: Set<String> = []
        var read: [ExportedFolder] = []
        for path in folders {
            guard seen.insert(URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path).inserted else {
                warning("warning: \(path) is given more than once; read once")
                continue
            }
            read.append(try ExportedFolder(path: path))
        }
        let labels = labels(read)
        let order = read.indices.sorted { labels[$0] < labels[$1] }
        let dataColumns = ExportColumns.union(try order.map { i throws(ExportError) in try read[i].columns(of: table) })
        let pairs = order.flatMap { i in read[i].cells.map { read[i].configs[$0] ?? [:] } }
        let columns = try ExportColumns(pairs: pairs, swept: Set(read.flatMap(\.swept)), dataColumns: dataColumns)

        // The folders this creates for --out, removed again if the export fails.
        var created = outURL.deletingLastPathComponent().standardizedFileURL
        while !FileManager.default.fileExists(atPath: created.deletingLastPathComponent().path) {
            created = created.deletingLastPathComponent()
        }
        let createdFolder = FileManager.default.fileExists(atPath: created.path) ? nil : created
        let undo = { if let createdFolder { try? FileManager.default.removeItem(at: createdFolder) } }
        do {
            try FileManager.default.createDirectory(at: outURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            undo()
            throw .cannotWrite(path: out, reason: error.localizedDescription)
        }
        let stream: AtomicFile.Stream
        do { stream = try AtomicFile.Stream(outURL) } catch {
            undo()
            throw .cannotWrite(path: out, reason: "\(error)")
        }
        var rows = 0
        do {
            let header = ["experiment", "cell"] + columns.config.map(\.name) + dataColumns
            try stream.write(header.map(CellsTable.quote).joined(separator: ",") + "\n")
            for i in order {
                let folder = read[i]
                let data = try folder.read(table)
                let position = Dictionary(uniqueKeysWithValues: data.columns.enumerated().map { ($1, $0) })
                let prefix = CellsTable.quote(labels[i]) + ","
                var text = ""
                for cell in folder.cells.sorted() {
                    let config = folder.configs[cell] ?? [:]
                    let cellPart = prefix + ([cell] + columns.config.map { config[$0.path] ?? "" })
                        .map(CellsTable.quote).joined(separator: ",")
                    for row in data.rows[cell] ?? [] {
                        text += cellPart
                        for column in dataColumns {
                            text += ","
                            text += position[column].map { CellsTable.quote(row[$0]) } ?? ""
                        }
                        text += "\n"
                        rows += 1
                    }
                    try stream.write(text)
                    text = ""
                }
            }
            try stream.commit()
        } catch let e as ExportError {
            stream.discard()
            undo()
            throw e
        } catch {
            stream.discard()
            undo()
            throw .cannotWrite(path: out, reason: "\(error)")
        }
        return Written(rows: rows, experiments: read.count, configColumns: columns.config.map(\.name))
    }

    /// The `experiment` value of each folder: its manifest's name, or, when several
    /// folders hold experiments of one name, `NAME (FOLDER)` with FOLDER the folder's
    /// last path component (or the whole path as given, when those are the same too).
    /// Names hold no spaces or parentheses, and the folders differ, so labels are unique.
    static func labels(_ folders: [ExportedFolder]) -> [String] {
        let byName = Dictionary(grouping: folders.indices, by: { folders[$0].name })
        var labels = folders.map(\.name)
        for (name, members) in byName where members.count > 1 {
            let trimmed = members.map { i -> String in
                var p = folders[i].path
                while p.count > 1, p.hasSuffix("/") { p.removeLast() }
                return p
            }
            let last = trimmed.map { String($0.split(separator: "/").last ?? Substring($0)) }
            let names = Set(last).count == members.count ? last : trimmed
            for (i, folder) in zip(members, names) { labels[i] = "\(name) (\(folder))" }
        }
        return labels
    }
}
