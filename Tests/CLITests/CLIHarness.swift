import Foundation
import Testing

/// Finds the built `collapse` binary and runs it in throwaway folders.
///
/// The CLITests target depends on the `collapse` executable target, so SwiftPM builds
/// the binary into the same folder as the test product. On Linux the test product is an
/// executable (`…/debug/collapsePackageTests.xctest`) and `CommandLine.arguments[0]`
/// names it; on macOS the `.xctest` bundle is among `Bundle.allBundles`. Failing both,
/// `<package root>/.build/debug/collapse` (the root found from `#filePath`).
enum CLI {
    static let binary: URL = locate()

    private static func locate() -> URL {
        let fm = FileManager.default
        var candidates: [URL] = []
        let arg0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(arg0.deletingLastPathComponent().appendingPathComponent("collapse"))
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(exe.deletingLastPathComponent().appendingPathComponent("collapse"))
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("collapse"))
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // CLITests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        let fallback = packageRoot.appendingPathComponent(".build/debug/collapse")
        candidates.append(fallback)
        return candidates.first { fm.isExecutableFile(atPath: $0.path) } ?? fallback
    }
}

/// What one invocation of the binary did.
struct Invocation: CustomStringConvertible {
    var arguments: [String]
    /// The exit code; -1 when the process crashed (see `signal`) or never finished.
    var status: Int32
    /// The signal that killed the process, if one did.
    var signal: Int32?
    var stdout: String
    var stderr: String

    var description: String {
        let how = signal.map { "killed by signal \($0)" } ?? "exit \(status)"
        return "collapse \(arguments.joined(separator: " ")) → \(how)\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)"
    }
}

/// A fresh temporary folder for one test; the binary runs with it as working directory.
struct Scratch {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("collapse-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func url(_ name: String) -> URL { root.appendingPathComponent(name) }
    func path(_ name: String) -> String { url(name).path }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let u = url(name)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: u)
        return u.path
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    func text(_ name: String) throws -> String { String(decoding: try data(name), as: UTF8.self) }

    /// The parsed JSON object in `name`.
    func json(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data(name)) as? [String: Any])
    }

    /// Every regular file under `name` (relative path → bytes), for before/after checks.
    func snapshot(_ name: String) throws -> [String: Data] {
        let base = url(name)
        var out: [String: Data] = [:]
        let items = try FileManager.default.subpathsOfDirectory(atPath: base.path)
        for item in items {
            var isDir: ObjCBool = false
            let full = base.appendingPathComponent(item)
            guard FileManager.default.fileExists(atPath: full.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            out[item] = try Data(contentsOf: full)
        }
        return out
    }

    /// Runs `collapse` with `arguments` (working directory: this folder). Output goes
    /// through files, not pipes, so a chatty binary can never deadlock the test.
    func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> Invocation {
        let io = UUID().uuidString
        let outURL = root.appendingPathComponent(".stdout-\(io)")
        let errURL = root.appendingPathComponent(".stderr-\(io)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        // On a crash the Swift runtime would start swift-backtrace, which inherits the
        // descriptors Foundation watches to see the child exit: a crash could then hang
        // the test instead of failing it.
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()

        let command = "collapse \(arguments.joined(separator: " "))"
        var finished = waitForExit(process, seconds: timeout)
        if !finished {
            Issue.record("\(command) did not finish within \(timeout) s")
            process.terminate()
            finished = waitForExit(process, seconds: 5)
        }
        try outHandle.close()
        try errHandle.close()
        var invocation = Invocation(
            arguments: arguments, status: -1, signal: nil,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
        guard finished else { return invocation }
        switch process.terminationReason {
        case .exit:
            invocation.status = process.terminationStatus
        case .uncaughtSignal:
            invocation.signal = process.terminationStatus
            Issue.record("\(command) crashed: \(invocation)")
        @unknown default:
            break
        }
        return invocation
    }

    /// Polls until `process` exits or `seconds` pass (no unbounded `waitUntilExit`).
    private func waitForExit(_ process: Process, seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return true
    }
}

/// Runs `body` with a fresh scratch folder, removed afterwards.
func withScratch<T>(_ body: (Scratch) throws -> T) throws -> T {
    let scratch = try Scratch()
    defer { scratch.remove() }
    return try body(scratch)
}

/// A small, fast experiment (1-D Gaussian, replace): 20 × 11 generations × n = 20.
let tinyConfig = """
name: tiny
seed: 7
replicates: 20
generations: 10
samples: 20
model: { family: gaussian, estimator: mle }
real: { distribution: normal, mean: 0.0, sd: 1.0 }
policy: { kind: replace }

"""

/// Splits CSV text into lines (no trailing empty line).
func csvLines(_ text: String) -> [Substring] {
    text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0).map { $0 }
}
