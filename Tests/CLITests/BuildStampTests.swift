import Foundation
import Testing

/// Runs `git` (from PATH) in `directory` and returns its trimmed stdout; fails the test
/// when git exits non-zero. Commits use a throwaway identity and no signing.
@discardableResult
func git(_ arguments: [String], in directory: URL) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git", "-c", "user.name=collapse tests", "-c", "user.email=tests@example.invalid",
                   "-c", "commit.gpgsign=false", "-C", directory.path] + arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    try #require(p.terminationStatus == 0, "git \(arguments.joined(separator: " ")) in \(directory.path) failed")
    return out.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// `build-stamp` (Sources/build-stamp), the tool the BuildStamp plugin runs before
/// `collapse` compiles: the generated `BuildStamp.gitCommit` for a package outside git,
/// in a repository (clean and dirty), and inside an unrelated repository.
@Suite struct BuildStampTests {
    static let tool = CLI.binary.deletingLastPathComponent().appendingPathComponent("build-stamp")

    /// A package folder `name` with Package.swift, Sources/a.swift and README.md.
    func makePackage(_ s: Scratch, _ name: String) throws -> URL {
        try s.write("\(name)/Package.swift", "// swift-tools-version:6.0\n")
        try s.write("\(name)/Sources/a.swift", "let a = 1\n")
        try s.write("\(name)/README.md", "readme\n")
        return s.url(name)
    }

    /// Runs the tool on `package` and returns the string literal it generated.
    func stamp(_ package: URL, _ s: Scratch) throws -> String {
        let output = s.url("BuildStamp.swift")
        let p = Process()
        p.executableURL = Self.tool
        p.arguments = [package.path, output.path]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "build-stamp exit \(p.terminationStatus)")
        let text = try s.text("BuildStamp.swift")
        let line = try #require(text.split(separator: "\n").first { $0.contains("static let gitCommit = ") },
                                "no gitCommit in\n\(text)")
        let literal = line.split(separator: "=", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
        try #require(literal.hasPrefix("\"") && literal.hasSuffix("\""), "not a string literal: \(literal)")
        return String(literal.dropFirst().dropLast())
    }

    @Test func outsideGitTheStampIsUnknown() throws {
        try withScratch { s in
            let package = try makePackage(s, "pkg")
            #expect(try stamp(package, s) == "unknown")
        }
    }

    @Test func inARepositoryTheStampIsHEADAndDirtyOnlyForSources() throws {
        try withScratch { s in
            let package = try makePackage(s, "pkg")
            try git(["init", "-q"], in: package)
            #expect(try stamp(package, s) == "unknown", "no commit yet, Package.swift untracked")
            try git(["add", "."], in: package)
            try git(["commit", "-q", "-m", "first"], in: package)
            let head = try git(["rev-parse", "HEAD"], in: package)
            #expect(try stamp(package, s) == head)

            try s.write("pkg/README.md", "edited, outside Sources/\n")
            #expect(try stamp(package, s) == head, "a change outside Sources/ and Package.swift is not dirty")
            try s.write("pkg/Sources/a.swift", "let a = 2\n")
            #expect(try stamp(package, s) == head + "-dirty")
            try git(["checkout", "-q", "--", "Sources/a.swift"], in: package)
            try s.write("pkg/Sources/b.swift", "let b = 1\n")
            #expect(try stamp(package, s) == head + "-dirty", "an untracked source file is dirty")
            try git(["add", "Sources/b.swift"], in: package)
            try git(["commit", "-q", "-m", "second"], in: package)
            let second = try git(["rev-parse", "HEAD"], in: package)
            #expect(second != head)
            // A changed stamp gets a modification time in a later whole second than the
            // last one, even when the clock has not got there (the Swift driver may skip
            // the file otherwise): the last one is dated 10 s ahead here.
            let last = Date().addingTimeInterval(10)
            try FileManager.default.setAttributes([.modificationDate: last], ofItemAtPath: s.path("BuildStamp.swift"))
            #expect(try stamp(package, s) == second)
            let written = try #require(try FileManager.default.attributesOfItem(atPath: s.path("BuildStamp.swift"))[.modificationDate] as? Date)
            #expect(written.timeIntervalSince1970.rounded(.down) > last.timeIntervalSince1970.rounded(.down),
                    "modification time \(written.timeIntervalSince1970), the last one's \(last.timeIntervalSince1970)")
        }
    }

    /// An archive unpacked inside some other repository is not that repository's build.
    @Test func anEnclosingRepositoryThatDoesNotTrackThePackageIsUnknown() throws {
        try withScratch { s in
            try s.write("outer/notes.txt", "another project\n")
            try git(["init", "-q"], in: s.url("outer"))
            try git(["add", "."], in: s.url("outer"))
            try git(["commit", "-q", "-m", "other"], in: s.url("outer"))
            let package = try makePackage(s, "outer/unpacked")
            #expect(try stamp(package, s) == "unknown")
        }
    }

    /// The same stamp leaves the generated file untouched, so `collapse` is not recompiled.
    @Test func anUnchangedStampDoesNotRewriteTheFile() throws {
        try withScratch { s in
            let package = try makePackage(s, "pkg")
            _ = try stamp(package, s)
            let old = Date(timeIntervalSince1970: 1_000_000_000)
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: s.path("BuildStamp.swift"))
            _ = try stamp(package, s)
            let attributes = try FileManager.default.attributesOfItem(atPath: s.path("BuildStamp.swift"))
            #expect(attributes[.modificationDate] as? Date == old)
        }
    }
}
