import Dispatch
import Foundation
import Synchronization

/// The git commit of the source tree the running binary was built in, if it can be
/// found (the binary lives under the checkout's .build folder), with "-dirty" when
/// the sources (Sources/, Package.swift) have uncommitted changes.
enum GitInfo {
    static func commit() -> String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(".git").path) {
                guard let head = git(["-C", dir.path, "rev-parse", "HEAD"]) else { return nil }
                let dirty = git(["-C", dir.path, "status", "--porcelain", "--", "Sources", "Package.swift"]).map { !$0.isEmpty } ?? false
                return dirty ? head + "-dirty" : head
            }
            dir.deleteLastPathComponent()
        }
        return nil
    }

    private static func git(_ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// ``GitInfo/commit()`` started on a background thread and read when needed, so the
/// two `git` subprocesses (about 0.1 s) overlap the run instead of following it.
final class BackgroundGitCommit: Sendable {
    private let group = DispatchGroup()
    private let result = Mutex<String?>(nil)

    init() {
        group.enter()
        DispatchQueue.global().async { [self] in
            let commit = GitInfo.commit()
            result.withLock { $0 = commit }
            group.leave()
        }
    }

    /// The commit (waits for the lookup to finish).
    var value: String? {
        group.wait()
        return result.withLock { $0 }
    }
}
