import Foundation

/// Combines shard folders (`collapse run --shard k/N`, or any run folders of one config)
/// into the files a single run writes, byte for byte (`collapse merge`).
public enum ShardMerge {
    /// Something the merge got past; the merge goes on.
    public enum Warning: CustomStringConvertible, Sendable {
        /// A folder given more than once (after resolving links): it is read once.
        case givenTwice(path: String)
        /// Chains found in more than one folder with the same bytes: each is used once.
        case duplicateChains([ChainLocation])

        public var description: String {
            switch self {
            case .givenTwice(let path):
                return "warning: \(path) is given more than once; read once"
            case .duplicateChains(let list):
                return "warning: \(list.count) chains are in more than one folder (identical, each used once):\n"
                    + ChainLocation.listing(list)
            }
        }
    }

    /// A chain found in two folders.
    public struct ChainLocation: Sendable {
        public var cell: String
        public var replicate: Int
        public var first: String
        public var second: String

        /// The first ten, one a line, and how many more.
        static func listing(_ list: [ChainLocation]) -> String {
            list.prefix(10).map { "  cell \($0.cell) replicate \($0.replicate): in \($0.first) and \($0.second)" }
                .joined(separator: "\n") + (list.count > 10 ? "\n  … and \(list.count - 10) more" : "")
        }
    }

    /// What was merged.
    public struct Merged: Sendable {
        public var chains: Int
        public var cells: Int
        /// The form metrics.csv was written in.
        public var form: MetricsFileForm
        /// The `generator_failed` events of the merged chains, in output order.
        public var generatorFailures: [ChainEvent]
    }

    /// The `generators` entries of the first folder whose manifest names its programs
    /// (a finished shard's: its programs answered `hello`); nil when none does.
    static func recordedGenerators(_ paths: [String]) -> [JSONValue]? {
        for path in paths {
            let url = URL(fileURLWithPath: path).appendingPathComponent(OutputFolder.manifestFile)
            guard let manifest = JSONValue.readObject(at: url), case .list(let entries)? = manifest["generators"] else {
                continue
            }
            let named = entries.allSatisfy { entry in
                if case .map(let m) = entry, case .string? = m["name"] { return true }
                return false
            }
            if named, !entries.isEmpty { return entries }
        }
        return nil
    }

    /// Reads the run folders at `folders`, checks that they hold one config and every
    /// chain of it, and writes the merged folder at `out`: its own journal (so it is a
    /// finished run folder) and the results, with the manifest's facts from `facts`
    /// (called just before the results are written) and `metrics.csv` in `form` (nil:
    /// the form the first folder's config asks for). Nothing is written unless every
    /// check passed. `warning` sees each ``Warning`` when it arises.
    /// - Throws: ``ShardMergeError``; errors other than ``OutputError`` and
    ///   ``ConfigErrors`` that reading or writing raise pass through unchanged.
    public static func merge(folders: [String], into out: String, form: MetricsFileForm? = nil, workers: Int = 1,
                             facts: () -> RunFacts, warning: (Warning) -> Void) throws -> Merged {
        // 1. Every folder is a run folder of the same config.
        var infos: [(path: String, info: RunState.Info)] = []
        var seen: Set<String> = []
        for path in folders {
            guard seen.insert(URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path).inserted else {
                warning(.givenTwice(path: path))
                continue
            }
            guard let info = RunState(folder: URL(fileURLWithPath: path)).readInfo() else {
                throw ShardMergeError.notARunFolder(path: path)
            }
            infos.append((path, info))
        }
        guard let first = infos.first else { throw ShardMergeError.noFolders }
        if Set(infos.map(\.info.configHash)).count > 1 {
            throw ShardMergeError.differentConfigs(infos.map { ($0.path, $0.info.configHash, $0.info.shard) })
        }
        let experiment: Experiment
        do {
            experiment = try ConfigLoader.parseExperiment(text: first.info.source.text, source: "\(first.path)/.collapse/run.json",
                                                          overrides: first.info.source.overrides,
                                                          baseDirectory: first.info.source.directory)
        } catch let e as ConfigErrors {
            throw ShardMergeError.configDoesNotLoad(path: first.path, errors: e)
        }
        guard experiment.hash == first.info.configHash else {
            throw ShardMergeError.configHashChanged(path: first.path, stored: first.info.configHash, now: experiment.hash)
        }

        // 2. Collect the chains; a chain in two folders must be the same bytes.
        let journal = JournalIndex()
        var duplicates: [(ChainKey, String, String)] = []
        var conflicts: [(ChainKey, String, String)] = []
        var readFailure: (any Error)?
        do {
            for (path, _) in infos {
                try journal.add(journalDirectory: RunState(folder: URL(fileURLWithPath: path)).journalDirectory,
                                label: path) { key, kept, other in
                    // Within one folder the first record wins, as on resume.
                    let first = journal.labels[kept.file]
                    guard first != path else { return }
                    do {
                        let same = try journal.record(at: kept) == journal.record(at: other)
                        if same { duplicates.append((key, first, path)) } else { conflicts.append((key, first, path)) }
                    } catch {
                        readFailure = readFailure ?? error
                    }
                }
            }
        } catch let e as OutputError {
            throw ShardMergeError.output(e)
        }
        if let readFailure { throw ShardMergeError.output(readFailure as? OutputError ?? .cannotRead(path: out, reason: "\(readFailure)")) }
        let cellID = { (key: ChainKey) in experiment.cells.first { $0.key == key.cell }?.id ?? Hashing.hex(key.cell) }
        let locations = { (list: [(ChainKey, String, String)]) -> [ChainLocation] in
            list.sorted { ($0.0.cell, $0.0.replicate) < ($1.0.cell, $1.0.replicate) }
                .map { ChainLocation(cell: cellID($0.0), replicate: $0.0.replicate, first: $0.1, second: $0.2) }
        }
        if !conflicts.isEmpty { throw ShardMergeError.conflictingChains(locations(conflicts)) }
        if !duplicates.isEmpty { warning(.duplicateChains(locations(duplicates))) }

        // 3. Every chain of the experiment must be there.
        let all = experiment.chains
        let missing = all.filter { !journal.contains(experiment.key($0)) }
        if !missing.isEmpty {
            throw ShardMergeError.missingChains(MissingChains(missing, of: all, experiment: experiment, infos: infos))
        }

        // 4. Write the merged folder: its own journal (so it is a finished run folder) and the results.
        let folder = OutputFolder(path: out)
        var failures: [ChainEvent] = []
        do {
            try folder.checkWritable(configHash: experiment.hash)
            let lock = try folder.state.lock()
            defer { close(lock) }
            if folder.state.readInfo() == nil { try folder.state.writeInfo(experiment: experiment, shard: nil) }
            let present = try JournalIndex(folder: folder.url)
            let copy = all.map(experiment.key).filter { !present.contains($0) }
            if !copy.isEmpty {
                let writer = try JournalWriter(directory: folder.state.journalDirectory)
                for key in copy { try writer.append(journal.record(at: journal[key]!)) }
                writer.close()
            }
            var runFacts = facts()
            runFacts.generators = recordedGenerators(infos.map(\.path))
            try folder.writeResults(experiment: experiment, journal: journal, facts: runFacts, form: form, workers: workers) {
                failures += $0.events.filter { $0.kind == .generatorFailed }
            }
        } catch let e as OutputError {
            throw ShardMergeError.output(e)
        }
        return Merged(chains: all.count, cells: experiment.cells.count, form: form ?? experiment.base.metricsFile,
                      generatorFailures: failures)
    }

    /// Which chains are missing and, when the folders are shards of one N, which shards
    /// are missing or incomplete.
    public struct MissingChains: CustomStringConvertible, Sendable {
        public enum ShardGap: Sendable {
            /// No folder was given for the shard.
            case absent(Shard, chains: Int)
            /// The shard's folders lack `missing` of its `chains` chains.
            case incomplete(Shard, folders: [String], missing: Int, chains: Int)
        }

        public var total: Int
        public var shards: [ShardGap]
        /// (cell id, replicate) of every missing chain, in the global chain order.
        public var chains: [(cell: String, replicate: Int)]

        init(_ missing: [ChainRef], of all: [ChainRef], experiment: Experiment,
             infos: [(path: String, info: RunState.Info)]) {
            total = all.count
            chains = missing.map { (experiment.cells[$0.cell].id, $0.replicate) }
            shards = []
            let counts = Set(infos.compactMap(\.info.shard?.count))
            guard counts.count == 1, let n = counts.first else { return }
            let missingSet = Set(missing.map(\.index))
            for k in 1...n {
                let shard = Shard(index: k, count: n)
                let its = all.filter(shard.contains)
                let lacking = its.filter { missingSet.contains($0.index) }.count
                guard lacking > 0 else { continue }
                let folders = infos.filter { $0.info.shard == shard }.map(\.path)
                shards.append(folders.isEmpty ? .absent(shard, chains: lacking)
                                              : .incomplete(shard, folders: folders, missing: lacking, chains: its.count))
            }
        }

        public var description: String {
            var lines = ["\(chains.count) of \(total) chains are missing; nothing was written."]
            for gap in shards {
                switch gap {
                case .absent(let shard, let lacking):
                    lines.append("  shard \(shard): missing (no folder given; \(lacking) chains)")
                case .incomplete(let shard, let folders, let lacking, let count):
                    lines.append("  shard \(shard) in \(folders.joined(separator: ", ")): incomplete, \(lacking) of \(count) chains missing; rerun its `collapse run --shard \(shard)` command to finish it")
                }
            }
            for chain in chains.prefix(10) {
                lines.append("  missing: cell \(chain.cell) replicate \(chain.replicate)")
            }
            if chains.count > 10 { lines.append("  … and \(chains.count - 10) more") }
            return lines.joined(separator: "\n")
        }
    }
}

/// Why ``ShardMerge/merge(folders:into:facts:warning:)`` wrote nothing (or, for
/// ``output(_:)``, could not write the merged folder). `description` is the message
/// for the user.
public enum ShardMergeError: Error, CustomStringConvertible {
    /// No folder was given.
    case noFolders
    /// A folder without `.collapse/run.json`.
    case notARunFolder(path: String)
    /// The folders hold runs of different configs: each folder's path, config hash and shard.
    case differentConfigs([(path: String, configHash: String, shard: Shard?)])
    /// The config stored in the first folder does not load with this version.
    case configDoesNotLoad(path: String, errors: ConfigErrors)
    /// The config stored in the first folder gives another hash with this version.
    case configHashChanged(path: String, stored: String, now: String)
    /// Chains present in two folders with different bytes.
    case conflictingChains([ShardMerge.ChainLocation])
    /// Chains of the experiment that no folder holds.
    case missingChains(ShardMerge.MissingChains)
    /// The output folder was refused or could not be written.
    case output(OutputError)

    public var description: String {
        switch self {
        case .noFolders:
            return "give at least one shard folder"
        case .notARunFolder(let path):
            return "\(path): not a collapse run folder (no .collapse/run.json); give the --out folders of `collapse run --shard k/N`"
        case .differentConfigs(let folders):
            let lines = folders.map { "  \($0.path): config_hash \($0.configHash)\($0.shard.map { ", shard \($0)" } ?? "")" }
            return "the folders hold results of different configs; merge only shards of one config (nothing was written):\n"
                + lines.joined(separator: "\n")
        case .configDoesNotLoad(let path, let errors):
            return "the config stored in \(path) does not load with this collapse:\n\(errors)"
        case .configHashChanged(let path, let stored, let now):
            return "the config stored in \(path) gives config_hash \(now) with this collapse, not \(stored); merge with the collapse version that ran the shards"
        case .conflictingChains(let list):
            return "\(list.count) chains differ between folders (were they run by different builds?); nothing was written:\n"
                + ShardMerge.ChainLocation.listing(list)
        case .missingChains(let report):
            return report.description
        case .output(let e):
            return e.description
        }
    }
}
