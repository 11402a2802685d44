import ArgumentParser
import CollapseKit
import Foundation

/// `collapse merge DIR… --out DIR`: combine shard folders (or any run folders of one
/// config) into the files a single run writes, byte for byte.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the shards of a run (`collapse run --shard k/N`) into one result folder.",
        discussion: "Checks that every folder holds the same config (config_hash), reports missing and duplicate chains by (cell, replicate), and writes metrics.csv, summary.csv, cells.csv and manifest.json identical to a single run's.")

    @Argument(help: "Shard folders (each written by `collapse run --shard k/N --out DIR`).")
    var shards: [String]

    @Option(help: "Output folder for the merged results.")
    var out: String

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give at least one shard folder") }
    }

    func run() throws {
        let started = Date()
        // 1. Every folder is a run folder of the same config.
        var infos: [(path: String, info: RunState.Info)] = []
        var seen: Set<String> = []
        for path in shards {
            guard seen.insert(URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path).inserted else {
                if !quiet { note("warning: \(path) is given more than once; read once") }
                continue
            }
            guard let info = RunState(folder: URL(fileURLWithPath: path)).readInfo() else {
                throw fail("\(path): not a collapse run folder (no .collapse/run.json); give the --out folders of `collapse run --shard k/N`",
                           code: ExitCodes.mergeRefused)
            }
            infos.append((path, info))
        }
        let hashes = Set(infos.map(\.info.configHash))
        if hashes.count > 1 {
            let lines = infos.map { "  \($0.path): config_hash \($0.info.configHash)\($0.info.shard.map { ", shard \($0)" } ?? "")" }
            throw fail("the folders hold results of different configs; merge only shards of one config (nothing was written):\n" + lines.joined(separator: "\n"),
                       code: ExitCodes.mergeRefused)
        }
        let source = infos[0].info.source
        let experiment: Experiment
        do {
            experiment = try ConfigLoader.parseExperiment(text: source.text, source: "\(infos[0].path)/.collapse/run.json",
                                                          overrides: source.overrides)
        } catch let e as ConfigErrors {
            throw fail("the config stored in \(infos[0].path) does not load with this collapse:\n\(e)", code: ExitCodes.mergeRefused)
        }
        guard experiment.hash == infos[0].info.configHash else {
            throw fail("the config stored in \(infos[0].path) gives config_hash \(experiment.hash) with this collapse, not \(infos[0].info.configHash); merge with the collapse version that ran the shards",
                       code: ExitCodes.mergeRefused)
        }

        // 2. Collect the chains; a chain in two folders must be the same bytes.
        var entries: [ChainKey: ChainJournal.Entry] = [:]
        var origin: [ChainKey: String] = [:]
        var duplicates: [(ChainKey, String, String)] = []
        var conflicts: [(ChainKey, String, String)] = []
        for (path, _) in infos {
            for (key, entry) in RunState(folder: URL(fileURLWithPath: path)).readJournal().entries {
                if let first = entries[key] {
                    if first.bytes.elementsEqual(entry.bytes) { duplicates.append((key, origin[key]!, path)) }
                    else { conflicts.append((key, origin[key]!, path)) }
                } else {
                    entries[key] = entry
                    origin[key] = path
                }
            }
        }
        let cellID = { (key: ChainKey) in experiment.cells.first { $0.key == key.cell }?.id ?? Hashing.hex(key.cell) }
        let describe = { (list: [(ChainKey, String, String)]) -> String in
            list.sorted { ($0.0.cell, $0.0.replicate) < ($1.0.cell, $1.0.replicate) }.prefix(10)
                .map { "  cell \(cellID($0.0)) replicate \($0.0.replicate): in \($0.1) and \($0.2)" }.joined(separator: "\n")
                + (list.count > 10 ? "\n  … and \(list.count - 10) more" : "")
        }
        if !conflicts.isEmpty {
            throw fail("\(conflicts.count) chains differ between folders (were they run by different builds?); nothing was written:\n" + describe(conflicts),
                       code: ExitCodes.mergeRefused)
        }
        if !duplicates.isEmpty, !quiet {
            note("warning: \(duplicates.count) chains are in more than one folder (identical, each used once):\n" + describe(duplicates))
        }

        // 3. Every chain of the experiment must be there.
        let all = experiment.chains
        let missing = all.filter { entries[experiment.key($0)] == nil }
        if !missing.isEmpty {
            throw fail(missingReport(missing, of: all, experiment: experiment, infos: infos), code: ExitCodes.mergeRefused)
        }

        // 4. Write the merged folder: its own journal (so it is a finished run folder) and the results.
        let folder = OutputFolder(path: out)
        do {
            try folder.checkWritable(configHash: experiment.hash)
            let lock = try folder.state.lock()
            defer { close(lock) }
            if folder.state.readInfo() == nil { try folder.state.writeInfo(experiment: experiment, shard: nil) }
            let present = folder.state.readJournal().entries
            let copy = all.map(experiment.key).filter { present[$0] == nil }
            if !copy.isEmpty {
                let writer = try JournalWriter(directory: folder.state.journalDirectory)
                for key in copy { try writer.append(Array(entries[key]!.bytes)) }
                writer.close()
            }
            let facts = RunFacts(toolVersion: Collapse.version, gitCommit: GitInfo.commit(), startedAt: started,
                                 finishedAt: Date(), jobs: 1, command: CommandLine.arguments)
            try folder.writeResults(experiment: experiment, entries: entries, facts: facts)
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }
        if !quiet {
            print("merged \(all.count) chains of \(experiment.cells.count) cell\(experiment.cells.count == 1 ? "" : "s") from \(shards.count) folder\(shards.count == 1 ? "" : "s")")
            print("wrote \(folder.url.path)/{metrics.csv, summary.csv, cells.csv, manifest.json}")
        }
    }

    /// Which shards are missing or incomplete, and which chains are missing.
    private func missingReport(_ missing: [ChainRef], of all: [ChainRef], experiment: Experiment,
                               infos: [(path: String, info: RunState.Info)]) -> String {
        var lines = ["\(missing.count) of \(all.count) chains are missing; nothing was written."]
        let counts = Set(infos.compactMap(\.info.shard?.count))
        if counts.count == 1, let n = counts.first {
            let missingSet = Set(missing.map(\.index))
            for k in 1...n {
                let shard = Shard(index: k, count: n)
                let its = all.filter(shard.contains)
                let lacking = its.filter { missingSet.contains($0.index) }.count
                guard lacking > 0 else { continue }
                let folders = infos.filter { $0.info.shard == shard }.map(\.path)
                if folders.isEmpty {
                    lines.append("  shard \(shard): missing (no folder given; \(lacking) chains)")
                } else {
                    lines.append("  shard \(shard) in \(folders.joined(separator: ", ")): incomplete, \(lacking) of \(its.count) chains missing; rerun its `collapse run --shard \(shard)` command to finish it")
                }
            }
        }
        for chain in missing.prefix(10) {
            lines.append("  missing: cell \(experiment.cells[chain.cell].id) replicate \(chain.replicate)")
        }
        if missing.count > 10 { lines.append("  … and \(missing.count - 10) more") }
        return lines.joined(separator: "\n")
    }
}
