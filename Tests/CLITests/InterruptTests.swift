import Foundation
import Testing

// Ctrl-C and SIGTERM during long chains, end to end: the binary stops between two
// generations, drops the chains it cut short, and the printed command resumes the run.

@Suite struct InterruptTests {
    /// Two chains of 400,001 generations (about 80 s in a debug build on the 2-core
    /// development machine). The plain progress line (stderr is a file) counts
    /// generations, not chains; a SIGINT then ends the run with exit 130 in well under
    /// 5 s (measured: under 0.1 s), with nothing journaled and no results written. A
    /// `--quiet` run beside it prints nothing but its error.
    @Test func sigintDuringLongChainsExitsAtOnceAndProgressCountsGenerations() throws {
        try withScratch { s in
            let config = try s.write("long.yaml", longChainsConfig)
            let run = try BackgroundRun(["run", config, "--out", s.path("out"), "--jobs", "2"], in: s)
            // The same with --quiet beside it: it prints nothing until its error.
            let quiet = try BackgroundRun(["run", config, "--out", s.path("quiet"), "--jobs", "1", "--quiet"], in: s)
            // The first plain line comes 10 s after the start.
            let printed = run.waitUntil(seconds: 60) { run.stderrSoFar.contains("progress: ") }
            try #require(printed, "no progress line within 60 s: \(run.stderrSoFar)")
            #expect(quiet.isRunning && quiet.stderrSoFar.isEmpty, "--quiet printed: \(quiet.stderrSoFar)")
            quiet.send(SIGINT)
            let quietStopped = try quiet.finish()
            #expect(quietStopped.status == 130, "\(quietStopped)")
            #expect(quietStopped.stderr.hasPrefix("error: interrupted: "), "\(quietStopped)")
            let line = try #require(run.stderrSoFar.split(separator: "\n").first { $0.hasPrefix("progress: ") })
            let shape = try Regex(#"progress: \d+/\d+ generations  \d+/\d+ chains  [0-9.]+( [kM])? generations/s  ETA \d+:\d\d"#)
            #expect(line.wholeMatch(of: shape) != nil, "\(line)")
            let words = line.split(separator: " ")
            let generations = words[1].split(separator: "/").compactMap { Int($0) }
            let chains = words[3].split(separator: "/").compactMap { Int($0) }
            try #require(generations.count == 2 && chains.count == 2, "\(line)")
            #expect(generations[0] > 0 && generations[0] < 2 * 400_001, "\(line)")
            #expect(generations[1] == 2 * 400_001, "\(line)")
            #expect(chains == [0, 2], "\(line)")

            let signalled = Date()
            run.send(SIGINT)
            let stopped = try run.finish(seconds: 120)
            let seconds = Date().timeIntervalSince(signalled)
            #expect(stopped.status == 130, "\(stopped)")
            #expect(seconds < 5, "exited \(seconds) s after SIGINT")
            #expect(stopped.stderr.contains("error: interrupted: 0 of 2 chains are done"), "\(stopped)")
            #expect(s.journalBytes("out") == 0, "an interrupted chain was journaled")
            #expect(!s.exists("out/metrics.csv"))
        }
    }

    /// SIGTERM half a second into three chains of about 2 s each (two workers): exit
    /// 130 at once with no chain journaled, and the printed resume command, run as
    /// printed by a shell in another folder, reruns all three and gives the bytes of an
    /// uninterrupted run. The binary is started as `bin/collapse` with a relative config
    /// and `--out`, so the command is only right if it says where they are.
    @Test func sigtermDropsRunningChainsAndThePrintedCommandResumes() throws {
        try withScratch { s in
            try s.write("mid.yaml", midChainsConfig)
            try FileManager.default.createDirectory(at: s.url("bin"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: s.url("bin/collapse"), withDestinationURL: CLI.binary)
            try FileManager.default.createDirectory(at: s.url("elsewhere"), withIntermediateDirectories: true)
            let sh = URL(fileURLWithPath: "/bin/sh")
            let run = try BackgroundRun(["-c", "exec bin/collapse run mid.yaml --out out --jobs 2"], in: s, executable: sh)
            let journal = s.url("out/.collapse/journal").path
            let started = run.waitUntil {
                !((try? FileManager.default.contentsOfDirectory(atPath: journal)) ?? []).isEmpty
            }
            try #require(started, "the run never opened its journal: \(run.stderrSoFar)")
            Thread.sleep(forTimeInterval: 0.5)
            let signalled = Date()
            run.send(SIGTERM)
            let stopped = try run.finish(seconds: 120)
            let seconds = Date().timeIntervalSince(signalled)
            #expect(stopped.status == 130, "\(stopped)")
            #expect(seconds < 5, "exited \(seconds) s after SIGTERM")
            #expect(stopped.stderr.contains("error: interrupted: 0 of 3 chains are done"), "\(stopped)")
            #expect(s.journalBytes("out") == 0, "an interrupted chain was journaled")

            let lines = stopped.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            let hint = try #require(lines.firstIndex { $0.hasSuffix("run the same command again to resume:") }, "\(stopped)")
            let command = lines[hint + 1].trimmingCharacters(in: .whitespaces)
            #expect(command == "cd \(s.root.path) && bin/collapse run mid.yaml --out out --jobs 2", "\(command)")
            let resumed = try BackgroundRun(["-c", command], in: s, executable: sh, directory: s.url("elsewhere")).finish()
            #expect(resumed.status == 0, "\(resumed)")
            #expect(resumed.stdout.contains("ran 3 chains"), "\(resumed)")

            let reference = try s.run(["run", s.path("mid.yaml"), "--out", s.path("ref"), "--quiet"])
            try #require(reference.status == 0, "\(reference)")
            #expect(try s.results("out") == s.results("ref"))
        }
    }
}

/// Two chains of 400,001 generations of n = 1000.
let longChainsConfig = """
name: long
seed: 5
replicates: 2
generations: 400000
samples: 1000
model: { family: gaussian }
real: { distribution: normal }
policy: { kind: mix, real_fraction: 0.1 }
metrics: [variance, w2]

"""

/// Three chains of 10,001 generations of n = 1000 (about 2 s each in a debug build).
let midChainsConfig = """
name: mid
seed: 6
replicates: 3
generations: 10000
samples: 1000
model: { family: gaussian }
real: { distribution: normal }
policy: { kind: mix, real_fraction: 0.1 }
metrics: [variance, w2]

"""
