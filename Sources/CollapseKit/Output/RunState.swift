import Foundation

/// A deterministic 1/N of an experiment's chains: chain number `index` (0-based, in
/// the global chain order of ``Experiment/chains``) belongs to shard `k` of N when
/// `index mod N = k − 1`. Shards are numbered 1…N, like a Slurm array `--array=1-N`.
public struct Shard: Equatable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// Parses `k/N` with 1 ≤ k ≤ N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        index = k
        count = n
    }

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public func contains(_ chain: ChainRef) -> Bool { chain.index % count == index - 1 }
    public var description: String { "\(index)/\(count)" }
}

/// Identifies a chain across runs and shards: (cell key, replicate).
public struct ChainKey: Hashable, Sendable {
    public let cell: UInt64
    public let replicate: Int
    public init(cell: UInt64, replicate: Int) {
        self.cell = cell
        self.replicate = replicate
    }
}

/// The resumable state of a run inside its output folder, under `.collapse/`:
///
/// - `run.json`: the config hash, the shard (or null), and the config text and `--set`
///   overrides the experiment was built from (so `collapse merge` can rebuild it);
/// - `journal/*.chains`: the finished chains (``ChainJournal``);
/// - `lock`: held (`flock`) while a process writes, so two runs never share a folder.
public struct RunState: Sendable {
    public let folder: URL
    public var directory: URL { folder.appendingPathComponent(".collapse") }
    public var journalDirectory: URL { directory.appendingPathComponent("journal") }
    var infoURL: URL { directory.appendingPathComponent("run.json") }

    public init(folder: URL) { self.folder = folder }

    /// What `run.json` records.
    public struct Info: Sendable {
        public var configHash: String
        public var shard: Shard?
        public var source: Experiment.Source
    }

    public func readInfo() -> Info? {
        guard let o = JSONValue.readObject(at: infoURL),
              let hash = o["config_hash"]?.asString, let text = o["config_text"]?.asString,
              let overrides = o["overrides"]?.asStrings else { return nil }
        return Info(configHash: hash, shard: o["shard"]?.asString.flatMap(Shard.init),
                    source: Experiment.Source(text: text, overrides: overrides,
                                              directory: RecordedConfigDirectory.resolve(o["config_directory"]?.asString,
                                                                                          resultsFolder: folder)))
    }

    public func writeInfo(experiment: Experiment, shard: Shard?) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let info = JSONValue.map([
            "config_hash": .string(experiment.hash),
            "shard": shard.map { .string($0.description) } ?? .null,
            "chains": .int(shard.map { s in experiment.chains.filter(s.contains).count } ?? experiment.chainCount),
            "config_text": .string(experiment.source.text),
            "overrides": .list(experiment.source.overrides.map(JSONValue.string)),
            "config_directory": .string(experiment.source.directory),
        ])
        try AtomicFile.write(info.jsonText(pretty: true) + "\n", to: infoURL)
    }

    /// Takes the folder's lock for the life of the returned descriptor (closed on exit,
    /// also by SIGKILL), or throws if another process holds it.
    public func lock() throws -> Int32 {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("lock").path
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw OutputError.busy(path: folder.path)
        }
        return fd
    }
}
