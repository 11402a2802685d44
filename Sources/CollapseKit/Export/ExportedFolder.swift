import Foundation

/// One results folder as `collapse export` reads it: the experiment's name, its cells
/// (ids in the manifest's order), each cell's resolved config flattened to leaves
/// (``ConfigLeaves``), the swept paths, and on demand one of its tables.
///
/// Without a sweep the manifest's `config` is the one cell's resolved config. With a
/// sweep it is the first cell's plus the `sweep`/`zip` blocks, so the cells are rebuilt
/// from it (as `collapse report` does) and checked against the manifest's
/// `config_hash` and cell ids; a file-backed sweep needs its data file for that.
struct ExportedFolder {
    /// The folder as given.
    let path: String
    let url: URL
    /// The manifest's `config.name`.
    let name: String
    /// Cell ids in the manifest's order.
    let cells: [String]
    /// Cell id → dotted config path → CSV text.
    let configs: [String: [String: String]]
    /// The swept dotted paths (`sweep` and `zip` keys; empty without a sweep).
    let swept: [String]
    private let manifest: [String: JSONValue]
    private var manifestPath: String { url.appendingPathComponent(OutputFolder.manifestFile).path }

    init(path: String) throws(ExportError) {
        self.path = path
        url = URL(fileURLWithPath: path)
        let manifestURL = url.appendingPathComponent(OutputFolder.manifestFile)
        guard FileManager.default.fileExists(atPath: manifestURL.path) else { throw .notAResultsFolder(path: path) }
        guard let manifest = JSONValue.readObject(at: manifestURL) else {
            throw .badManifest(path: manifestURL.path, problem: "not readable as a JSON object")
        }
        self.manifest = manifest
        if let shard = manifest["shard"]?.asString { throw .shardFolder(path: path, shard: shard) }
        guard case .map(let config)? = manifest["config"], let name = config["name"]?.asString else {
            throw .badManifest(path: manifestURL.path, problem: "no config with a name")
        }
        guard case .list(let cellList)? = manifest["cells"], !cellList.isEmpty else {
            throw .badManifest(path: manifestURL.path, problem: "no cells[]")
        }
        var ids: [String] = []
        for entry in cellList {
            guard case .map(let cell) = entry, let id = cell["cell"]?.asString else {
                throw .badManifest(path: manifestURL.path, problem: "a cells[] entry without a cell id")
            }
            ids.append(id)
        }
        self.name = name
        cells = ids
        if config["sweep"] == nil, config["zip"] == nil {
            guard ids.count == 1 else {
                throw .badManifest(path: manifestURL.path, problem: "\(ids.count) cells but a config without a sweep")
            }
            configs = [ids[0]: ConfigLeaves.flatten(.map(config))]
            swept = []
            return
        }
        let experiment: Experiment
        do {
            experiment = try ConfigLoader.parseExperiment(
                text: JSONValue.map(config).jsonText(pretty: false), source: manifestURL.path,
                baseDirectory: RecordedConfigDirectory.resolve(manifest["config_directory"]?.asString, resultsFolder: url))
        } catch let errors as ConfigErrors {
            throw .configDoesNotLoad(path: manifestURL.path, errors: errors.errors.map(\.description))
        } catch {
            throw .configDoesNotLoad(path: manifestURL.path, errors: ["\(error)"])
        }
        if let hash = manifest["config_hash"]?.asString, hash != experiment.hash {
            throw .configMismatch(path: manifestURL.path, problem: "config_hash \(hash) does not match its config (\(experiment.hash))")
        }
        let rebuilt = experiment.cells.map(\.id)
        guard Set(rebuilt) == Set(ids), rebuilt.count == ids.count else {
            throw .configMismatch(path: manifestURL.path,
                                  problem: "cells[] (\(ids.joined(separator: ", "))) are not its config's cells (\(rebuilt.joined(separator: ", ")))")
        }
        configs = Dictionary(uniqueKeysWithValues: experiment.cells.map { ($0.id, ConfigLeaves.flatten($0.config.jsonValue)) })
        swept = experiment.sweep?.keys ?? []
    }

    /// The file `table` is read from (`metrics`: metrics.csv, else metrics.csv.gz), nil
    /// for `events`.
    private func file(of table: ExportTable) throws(ExportError) -> String? {
        guard table == .metrics else { return table.file }
        if let form = MetricsFileForm.present(in: url) { return form.fileName }
        if case .map(let config)? = manifest["config"], case .map(let output)? = config["output"],
           output["metrics_file"]?.asString == MetricsFileForm.none.rawValue {
            throw .metricsNotWritten(path: url.path)
        }
        throw .missingTable(path: url.appendingPathComponent(OutputFolder.metricsFile).path)
    }

    /// The header of `table` without `cell` (reads only the first line of its file).
    func columns(of table: ExportTable) throws(ExportError) -> [String] {
        guard let file = try file(of: table) else { return ExportTable.eventColumns }
        let where_ = url.appendingPathComponent(file).path
        let start: [UInt8]
        if file.hasSuffix(".gz") {
            do { start = try GzipFile.read(where_, limit: 1 << 16) } catch {
                throw .badTable(path: where_, problem: "\(error.problem); allowed: a gzip file as collapse writes it")
            }
        } else {
            guard let handle = FileHandle(forReadingAtPath: where_) else {
                if FileManager.default.fileExists(atPath: where_) {
                    throw .badTable(path: where_, problem: "cannot be read; allowed: a file this user may read")
                }
                throw .missingTable(path: where_)
            }
            defer { try? handle.close() }
            start = [UInt8]((try? handle.read(upToCount: 1 << 16)) ?? Data())
        }
        let text = String(decoding: start.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
        return try header(text, file: file)
    }

    /// Every row of `table`, grouped by cell, in file order (`events`: sorted by
    /// replicate, generation and event).
    func read(_ table: ExportTable) throws(ExportError) -> FolderTable {
        guard let file = try file(of: table) else { return try events() }
        let text = try read(file)
        let where_ = url.appendingPathComponent(file).path
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let columns = try header(String(firstLine), file: file)
        guard text[firstLine.endIndex...].contains(where: { !$0.isNewline }) else { return FolderTable(columns: columns, rows: [:]) }
        let parsed: CSVTable
        do { parsed = try CSVTable.parse(DataFile(path: where_, sha256: "", text: text)) } catch {
            throw .badTable(path: where_, problem: "\(error.value); allowed: \(error.allowed)")
        }
        guard Array(parsed.header.dropFirst()) == columns else {
            throw .badTable(path: where_, problem: "header names \(parsed.header.joined(separator: ", ")); allowed: plain names, as collapse writes them")
        }
        let known = Set(cells)
        var rows: [String: [[String]]] = [:]
        for i in 0..<parsed.rowCount {
            let id = parsed.columns[0][i]
            guard known.contains(id) else {
                throw .badTable(path: where_, problem: "line \(parsed.lines[i]): cell '\(id)' is not in manifest.json's cells (\(cells.joined(separator: ", ")))")
            }
            rows[id, default: []].append((1..<parsed.header.count).map { parsed.columns[$0][i] })
        }
        return FolderTable(columns: columns, rows: rows)
    }

    private func read(_ file: String) throws(ExportError) -> String {
        let where_ = url.appendingPathComponent(file).path
        guard FileManager.default.fileExists(atPath: where_) else { throw .missingTable(path: where_) }
        if file.hasSuffix(".gz") {
            do { return String(decoding: try GzipFile.read(where_), as: UTF8.self) } catch {
                throw .badTable(path: where_, problem: "\(error.problem); allowed: a gzip file as collapse writes it")
            }
        }
        do { return try DataFile.read(where_).text } catch {
            throw .badTable(path: where_, problem: "\(error.value); allowed: \(error.allowed)")
        }
    }

    private func header(_ line: String, file: String) throws(ExportError) -> [String] {
        let names = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard names.first == "cell", names.count > 1 else {
            throw .badTable(path: url.appendingPathComponent(file).path,
                            problem: "header '\(line)'; allowed: a header starting with cell, as collapse writes it")
        }
        return Array(names.dropFirst())
    }

    private func events() throws(ExportError) -> FolderTable {
        guard case .list(let cellList)? = manifest["cells"] else { return FolderTable(columns: ExportTable.eventColumns, rows: [:]) }
        var rows: [String: [[String]]] = [:]
        for case .map(let cell) in cellList {
            guard let id = cell["cell"]?.asString else { continue }
            guard case .list(let events)? = cell["events"] else {
                throw .badManifest(path: manifestPath, problem: "cell \(id) has no events[]")
            }
            var parsed: [(replicate: Int, generation: Int, event: String)] = []
            for entry in events {
                guard case .map(let e) = entry, case .int(let r)? = e["replicate"], case .int(let g)? = e["generation"],
                      let kind = e["event"]?.asString else {
                    throw .badManifest(path: manifestPath,
                                       problem: "cell \(id): events[] entry \(entry.jsonText(pretty: false)) is not {replicate, generation, event}")
                }
                parsed.append((r, g, kind))
            }
            parsed.sort { ($0.replicate, $0.generation, $0.event) < ($1.replicate, $1.generation, $1.event) }
            rows[id] = parsed.map { [String($0.replicate), String($0.generation), $0.event] }
        }
        return FolderTable(columns: ExportTable.eventColumns, rows: rows)
    }
}
