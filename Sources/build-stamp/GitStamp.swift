import Foundation

/// The commit a package directory is built from, as `collapse` records it in
/// `manifest.json`'s `git_commit`: `git rev-parse HEAD`, with `-dirty` appended when
/// `git status --porcelain -- Sources Package.swift` lists anything (an edited, staged,
/// deleted or untracked file there), or `"unknown"` when the directory is not part of
/// a git checkout that tracks its `Package.swift` (a source archive; a folder inside
/// some unrelated repository), when the checkout has no commit yet, or when git is
/// missing or fails.
enum GitStamp {
    static let unknown = "unknown"

    static func describe(package: URL) -> String {
        // Package.swift must be tracked, so an enclosing repository that merely holds
        // an unpacked archive is not taken for the build's provenance.
        guard git(["ls-files", "--error-unmatch", "--", "Package.swift"], in: package) != nil,
              let head = git(["rev-parse", "--verify", "HEAD"], in: package), !head.isEmpty,
              let status = git(["status", "--porcelain", "--", "Sources", "Package.swift"], in: package) else {
            return unknown
        }
        return status.isEmpty ? head : head + "-dirty"
    }

    /// The generated file: one constant, read by `collapse` when it writes a manifest.
    static func swiftSource(commit: String) -> String {
        """
        // Generated at build time by Sources/build-stamp (the BuildStamp plugin). Do not edit.

        /// What the `collapse` binary was built from (``gitCommit``).
        enum BuildStamp {
            /// `git rev-parse HEAD` of the package at build time, with `-dirty` when
            /// Sources/ or Package.swift had uncommitted changes; "unknown" when it was
            /// built outside a git checkout.
            static let gitCommit = \(literal(commit))
        }

        """
    }

    /// `s` as a Swift string literal (a commit is hex digits, but be safe).
    static func literal(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where ch.value < 0x20 || ch.value == 0x7F: out += "\\u{\(String(ch.value, radix: 16))}"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    /// Runs git in `directory`; its trimmed stdout, or nil when git is missing or fails.
    /// `--no-optional-locks`: `status` must not refresh .git/index, or the index (an
    /// input of the build command) would change on every build and rerun this tool.
    static func git(_ arguments: [String], in directory: URL) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "--no-optional-locks", "-C", directory.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        // The package directory decides the repository, not a caller's git hook.
        for key in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX"] {
            environment[key] = nil
        }
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationReason == .exit, p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
