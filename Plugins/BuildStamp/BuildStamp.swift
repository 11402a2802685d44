import Foundation
import PackagePlugin

/// Embeds the commit the `collapse` binary is built from: runs the `build-stamp` tool
/// (Sources/build-stamp), which writes `BuildStamp.swift` (`BuildStamp.gitCommit`) into
/// the plugin's work directory from `git rev-parse HEAD` and `git status --porcelain --
/// Sources Package.swift` in the package directory.
///
/// The command reruns when its inputs change: the git files a commit, checkout or
/// staging rewrites (HEAD, the branch's ref file, packed-refs, the index, found through
/// a worktree's or submodule's `.git` file too) and every file under Sources/ plus
/// Package.swift (an edit there can make the tree dirty). Without a `.git` the inputs
/// are only the sources and the stamp says "unknown".
@main
struct BuildStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildStamp.swift")
        return [.buildCommand(displayName: "Stamping \(target.name) with the git commit of \(package.path)",
                              executable: try context.tool(named: "build-stamp").url,
                              arguments: [package.path, output.path],
                              inputFiles: GitFiles.watched(package: package) + Self.sources(package: package),
                              outputFiles: [output])]
    }

    /// Package.swift and every regular file under Sources/.
    static func sources(package: URL) -> [URL] {
        var out = [package.appending(path: "Package.swift")]
        let sources = package.appending(path: "Sources")
        let keys: [URLResourceKey] = [.isRegularFileKey]
        guard let walk = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: keys) else { return out }
        for case let url as URL in walk where (try? url.resourceValues(forKeys: Set(keys)).isRegularFile) == true {
            out.append(url)
        }
        return out
    }
}

/// The files of the repository holding a package whose change may move HEAD or the
/// index: those that exist, so a tree without git has none.
enum GitFiles {
    static func watched(package: URL) -> [URL] {
        let fm = FileManager.default
        // The nearest `.git` at or above the package, as git itself finds it.
        var dir = package.standardizedFileURL
        var dotGit: URL?
        while true {
            let candidate = dir.appending(path: ".git")
            if fm.fileExists(atPath: candidate.path) { dotGit = candidate; break }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        guard let dotGit else { return [] }
        var isDirectory: ObjCBool = false
        _ = fm.fileExists(atPath: dotGit.path, isDirectory: &isDirectory)
        var gitDir = dotGit
        if !isDirectory.boolValue {
            // A worktree or submodule: `.git` is a file "gitdir: PATH".
            guard let text = try? String(contentsOf: dotGit, encoding: .utf8),
                  let line = text.split(separator: "\n").first, line.hasPrefix("gitdir:") else { return [dotGit] }
            gitDir = resolve(line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces),
                             against: dotGit.deletingLastPathComponent())
        }
        // A worktree's refs and packed-refs live in the common directory.
        var common = gitDir
        if let text = try? String(contentsOf: gitDir.appending(path: "commondir"), encoding: .utf8) {
            common = resolve(text.trimmingCharacters(in: .whitespacesAndNewlines), against: gitDir)
        }
        let head = gitDir.appending(path: "HEAD")
        var files = [dotGit, head, gitDir.appending(path: "index"), common.appending(path: "packed-refs")]
        if let text = try? String(contentsOf: head, encoding: .utf8), text.hasPrefix("ref:") {
            let ref = text.dropFirst("ref:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            files.append(common.appending(path: ref))
        }
        return files.filter { fm.fileExists(atPath: $0.path) }
    }

    static func resolve(_ path: String, against base: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appending(path: path).standardizedFileURL
    }
}
