import CollapseKit
import Foundation

/// The `collapse merge` command a finished shard prints, with the real folders: with
/// the default `--out` the shards are `results/<name>/shards/1 … N` and merge into
/// `results/<name>`; with an `--out` ending in the shard number (`s/2` for shard 2) the
/// other shards are taken to be its siblings (`s/1 … s/N`). Paths are as typed (or as
/// defaulted), relative to the current directory, and quoted for a POSIX shell.
struct MergeHint {
    let shard: Shard
    /// This shard's folder, as given by `--out` or defaulted.
    let folder: String
    /// True when `folder` is the default `results/<name>/shards/k`.
    let isDefault: Bool
    let experimentName: String

    /// The folders of all N shards, when they can be told from this one's.
    var shardFolders: [String]? {
        if isDefault { return (1...shard.count).map { "results/\(experimentName)/\(OutputFolder.shardsFolder)/\($0)" } }
        var parts = folder.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        while parts.count > 1, parts.last == "" { parts.removeLast() }
        guard parts.last == String(shard.index) else { return nil }
        return (1...shard.count).map { k in
            parts[parts.count - 1] = String(k)
            return parts.joined(separator: "/")
        }
    }

    /// The folder the merged results go to (only known for the default layout).
    var mergedFolder: String? { isDefault ? "results/\(experimentName)" : nil }

    /// `combine all N shards with: collapse merge … --out …`.
    var text: String {
        let sources = shardFolders.map { $0.map(shellQuote).joined(separator: " ") }
            ?? "\(shellQuote(folder)) OTHER_SHARD_FOLDERS…"
        let out = mergedFolder.map(shellQuote) ?? "NEW_FOLDER"
        return "combine all \(shard.count) shards with: collapse merge \(sources) --out \(out)"
    }
}
