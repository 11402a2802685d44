import Foundation
import Testing

/// A `collapse` process started without waiting for it, so a test can watch its output
/// folder and send it a signal (SIGKILL, SIGINT) mid-run.
final class BackgroundRun {
    let arguments: [String]
    private let process = Process()
    private let outURL: URL
    private let errURL: URL
    private let outHandle: FileHandle
    private let errHandle: FileHandle

    /// Starts `executable` (the built binary unless given; a test may start it through
    /// `/bin/sh -c 'exec …'` to choose its `argv[0]`) with `arguments`, in `directory`
    /// (default: the scratch folder).
    init(_ arguments: [String], in scratch: Scratch, executable: URL = CLI.binary, directory: URL? = nil) throws {
        self.arguments = arguments
        let io = UUID().uuidString
        outURL = scratch.root.appendingPathComponent(".stdout-\(io)")
        errURL = scratch.root.appendingPathComponent(".stderr-\(io)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        outHandle = try FileHandle(forWritingTo: outURL)
        errHandle = try FileHandle(forWritingTo: errURL)
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? scratch.root
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
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }

    var isRunning: Bool { process.isRunning }

    /// What the process has written to stderr so far.
    var stderrSoFar: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

    /// Sends `signal` to the process (it was started by this test).
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Polls `condition` every 2 ms until it holds (true) or the process exits or
    /// `seconds` pass (false).
    func waitUntil(seconds: TimeInterval = 60, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            if !process.isRunning { return condition() }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return false
    }

    /// Waits for the process to end and returns what it did.
    func finish(seconds: TimeInterval = 120) throws -> Invocation {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        if process.isRunning {
            Issue.record("collapse \(arguments.joined(separator: " ")) did not finish within \(seconds) s")
            send(SIGKILL)
            while process.isRunning { Thread.sleep(forTimeInterval: 0.005) }
        }
        try outHandle.close()
        try errHandle.close()
        var invocation = Invocation(arguments: arguments, status: -1, signal: nil,
                                    stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                                    stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
        if process.terminationReason == .exit {
            invocation.status = process.terminationStatus
        } else {
            invocation.signal = process.terminationStatus
        }
        return invocation
    }
}

extension Scratch {
    /// Starts `collapse arguments`, sends it `signal` once the journal of `folder` holds
    /// more than `afterBytes` bytes, and returns what it did (`reached`: whether the
    /// journal got there before the process ended).
    func interrupt(_ arguments: [String], folder: String, with signal: Int32,
                   afterBytes: Int = 0) throws -> (invocation: Invocation, reached: Bool) {
        let run = try BackgroundRun(arguments, in: self)
        let reached = run.waitUntil { journalBytes(folder) > afterBytes }
        run.send(signal)
        return (try run.finish(), reached)
    }

    /// Total bytes of the journal files in `folder`/.collapse/journal (0 when none).
    func journalBytes(_ folder: String) -> Int {
        let dir = url(folder).appendingPathComponent(".collapse/journal")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.reduce(0) { total, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)[.size]) as? Int
            return total + (size ?? 0)
        }
    }

    /// The files a finished run leaves for a reader: everything outside `.collapse/`
    /// except manifest.json (which records times, the command and the worker count).
    func results(_ folder: String) throws -> [String: Data] {
        try snapshot(folder).filter { !$0.key.hasPrefix(".collapse/") && $0.key != "manifest.json" }
    }
}

/// A small sweep for the sweep, resume and shard tests: 2 × 2 cells of tinyConfig
/// (80 chains), a few metrics.
let sweepConfig = tinyConfig + """
metrics: [variance, w2, kl]
sweep:
  samples: [20, 40]
  policy: { kind: [replace, accumulate] }

"""

/// A sweep that takes a few seconds in a debug build, so a test can interrupt it:
/// 2 cells × 100 chains, 201 generations of n = 500.
let slowConfig = """
name: slow
seed: 11
replicates: 100
generations: 200
samples: 500
model: { family: gaussian }
real: { distribution: normal }
policy: { kind: mix, real_fraction: 0.1 }
metrics: [variance, w2, kl]
sweep:
  policy.real_fraction: [0.0, 0.5]

"""
