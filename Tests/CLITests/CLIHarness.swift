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

    /// Runs `collapse` with `arguments` (working directory: this folder) and waits for
    /// it (see ``BackgroundRun``: output through files, so a chatty binary can never
    /// deadlock the test; a run longer than `timeout` is killed and recorded).
    func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> Invocation {
        let invocation = try BackgroundRun(arguments, in: self).finish(seconds: timeout)
        if invocation.signal != nil {
            Issue.record("collapse \(arguments.joined(separator: " ")) crashed: \(invocation)")
        }
        return invocation
    }
}

extension Scratch {
    /// Runs the binary and returns its exit status, wall time and peak RSS in kB: the
    /// largest VmHWM (a high-water mark) read from /proc/<pid>/status while it runs,
    /// polled every `pause` microseconds (0: without pause, for runs of milliseconds).
    /// Not wait4's ru_maxrss: Linux charges a child, at its exec, with the peak of the
    /// memory it was spawned from, here the whole test process.
    func measured(_ arguments: [String], pause: useconds_t = 0) throws -> (status: Int32, seconds: Double, maxRSSkB: Int) {
        let argv = ([CLI.binary.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, path("stderr.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var pid: pid_t = 0
        let start = Date()
        let spawned = posix_spawn(&pid, CLI.binary.path, &actions, nil, argv, environ)
        try #require(spawned == 0)
        var status: Int32 = 0
        var peak = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if pause > 0 { usleep(pause) }
            // Until exec the child is still the spawning process: read only after it.
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  text.contains("Name:\tcollapse"),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                  let kB = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            else { continue }
            peak = max(peak, kB)
        }
        return ((status >> 8) & 0xff, Date().timeIntervalSince(start), peak)
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
