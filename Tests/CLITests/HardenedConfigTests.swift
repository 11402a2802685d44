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

    @Test func theAliasBombIsRefusedWithinASecondUnder50MB() throws {
        try withScratch { s in
            let config = try s.write("bomb.yaml", Self.aliasBomb)
            let r = try s.measured(["run", config, "--out", s.path("out")])
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
