import Foundation
import Testing

/// The hardened config reader end to end: the alias bomb of issue 19 is refused fast
/// and small, and `collapse run` refuses a config whose estimated memory exceeds the
/// machine's unless `--force` is given.
@Suite struct HardenedConfigTests {
    /// Eight levels of nine aliases each (9⁸ ≈ 4.3 × 10⁷ nodes once expanded).
    static let aliasBomb: String = {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for i in 1...8 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]") }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// Runs the binary and returns its exit status, wall time and peak RSS in kB: the
    /// largest VmHWM read from /proc/<pid>/status while it runs (polled without pause).
    /// Not wait4's ru_maxrss: Linux charges a child, at its exec, with the peak of the
    /// memory it was spawned from, here the whole test process.
    func measured(_ arguments: [String], in s: Scratch) throws -> (status: Int32, seconds: Double, maxRSSkB: Int) {
        let argv = ([CLI.binary.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, s.path("stderr.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var pid: pid_t = 0
        let start = Date()
        let spawned = posix_spawn(&pid, CLI.binary.path, &actions, nil, argv, environ)
        try #require(spawned == 0)
        var status: Int32 = 0
        var peak = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
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

    @Test func theAliasBombIsRefusedWithinASecondUnder50MB() throws {
        try withScratch { s in
            let config = try s.write("bomb.yaml", Self.aliasBomb)
            let r = try measured(["run", config, "--out", s.path("out")], in: s)
            #expect(r.status == 2)
            #expect(r.seconds < 1, "\(r.seconds) s")
            #expect(r.maxRSSkB > 0 && r.maxRSSkB < 50_000, "\(r.maxRSSkB) kB")
            #expect(try s.text("stderr.txt").contains("got the YAML anchor &a0 at line 1, column 5"))
            #expect(!s.exists("out"))
        }
    }

    /// accumulate with n = 1000 in d = 100 over 10⁷ generations: the last training set
    /// alone is 10⁷ · 1000 · 800 bytes = 8 TB.
    static let huge = """
    name: huge
    replicates: 1
    generations: 10000000
    samples: 1000
    real: { distribution: normal, dimension: 100 }
    policy: { kind: accumulate }
    metrics: [trace]
    sampler: samples

    """

    @Test func aRunFarBeyondTheMachinesMemoryIsRefused() throws {
        try withScratch { s in
            let config = try s.write("huge.yaml", Self.huge)
            let r = try s.run(["run", config, "--out", s.path("out"), "--jobs", "1"])
            #expect(r.status == 2, "\(r)")
            // Both numbers: the estimate, and the machine's memory (in GB, 3 significant digits).
            let gb = Double(ProcessInfo.processInfo.physicalMemory) / 1e9
            let machine = String(format: gb < 10 ? "%.2f GB" : gb < 100 ? "%.1f GB" : "%.0f GB", gb)
            #expect(r.stderr.contains("the run needs an estimated 8.00 TB of memory"), "\(r)")
            #expect(r.stderr.contains("more than this machine's \(machine)"), "\(r)")
            #expect(r.stderr.contains("use --force to run anyway"), "\(r)")
            #expect(!s.exists("out"))
            // validate checks the config, not the machine.
            #expect(try s.run(["validate", config]).status == 0)
        }
    }

    /// With --force the run starts: it claims its output folder (the check is passed);
    /// the test then kills it before it grows.
    @Test func forceRunsAnyway() throws {
        try withScratch { s in
            let config = try s.write("huge.yaml", Self.huge)
            let run = try BackgroundRun(["run", config, "--out", s.path("out"), "--jobs", "1", "--quiet", "--force"], in: s)
            let started = run.waitUntil(seconds: 60) { s.exists("out/.collapse/run.json") }
            run.send(SIGKILL)
            let r = try run.finish()
            #expect(started, "\(r)")
            #expect(!r.stderr.contains("estimated"), "\(r)")
        }
    }
}
