import Foundation
import Testing

// Crash-safe resume, end to end: the real binary is started, killed while it runs, and
// started again with the same command.

@Suite struct ResumeTests {
    /// SIGKILL at a random point (after the journal holds at least a random number of
    /// bytes), twice, then the same command: the result files equal an uninterrupted
    /// run's byte for byte, and the journal holds each chain once per attempt at most.
    @Test func killedTwiceThenRerunGivesTheUninterruptedBytes() throws {
        try withScratch { s in
            let config = try s.write("slow.yaml", slowConfig)
            let reference = try s.run(["run", config, "--out", s.path("ref"), "--jobs", "1", "--quiet"])
            try #require(reference.status == 0, "\(reference)")
            let totalBytes = s.journalBytes("ref")
            try #require(totalBytes > 0)

            let command = ["run", config, "--out", s.path("out"), "--jobs", "2"]
            var killedAt: [Int] = []
            for attempt in 1...2 {
                // Kill once the journal has grown by a random 1…30 % of the whole run.
                let before = s.journalBytes("out")
                let grow = Int.random(in: (totalBytes / 100)...(totalBytes * 30 / 100))
                let (killed, reached) = try s.interrupt(command, folder: "out", with: SIGKILL, afterBytes: before + grow)
                try #require(reached, "attempt \(attempt): the journal never reached \(before + grow) bytes: \(killed)")
                try #require(killed.signal == SIGKILL, "attempt \(attempt) was not killed mid-run: \(killed)")
                killedAt.append(s.journalBytes("out"))
                #expect(!s.exists("out/metrics.csv"), "a killed run wrote results")
                #expect(!s.exists("out/manifest.json"), "a killed run wrote a manifest")
            }
            #expect(killedAt[1] > killedAt[0], "the second attempt added nothing: \(killedAt)")

            let resumed = try s.run(command)
            try #require(resumed.status == 0, "\(resumed)")
            #expect(resumed.stderr.contains("resuming: "), "\(resumed)")
            #expect(resumed.stdout.contains("were already done"), "\(resumed)")
            #expect(try s.results("out") == s.results("ref"), "resumed results differ (killed with \(killedAt) journal bytes of \(totalBytes))")
            // Each chain journaled once, except at most one per worker that was cut mid-write.
            #expect(s.journalBytes("out") <= totalBytes + 4 * totalBytes / 200, "\(s.journalBytes("out")) journal bytes for a run of \(totalBytes)")

            // Once finished, the same command again recomputes nothing and changes nothing.
            let again = try s.run(command)
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.contains("ran 0 chains"), "\(again)")
            #expect(try s.results("out") == s.results("ref"))
        }
    }

    @Test func ctrlCStopsCleanlyAndSaysHowToResume() throws {
        try withScratch { s in
            let config = try s.write("slow.yaml", slowConfig)
            let command = ["run", config, "--out", s.path("out"), "--jobs", "2"]
            let (stopped, started) = try s.interrupt(command, folder: "out", with: SIGINT)
            try #require(started, "the run never journaled a chain: \(stopped)")
            #expect(stopped.status == 130, "\(stopped)")
            #expect(stopped.stderr.contains("error: interrupted: "), "\(stopped)")
            #expect(stopped.stderr.contains("chains are done and saved in"), "\(stopped)")
            #expect(stopped.stderr.contains("run the same command again to resume:"), "\(stopped)")
            #expect(stopped.stderr.contains(command.dropFirst().joined(separator: " ")), "the resume command is not shown: \(stopped)")
            #expect(!s.exists("out/metrics.csv"))

            let resumed = try s.run(command + ["--quiet"])
            #expect(resumed.status == 0, "\(resumed)")
            let reference = try s.run(["run", config, "--out", s.path("ref"), "--quiet"])
            try #require(reference.status == 0, "\(reference)")
            #expect(try s.results("out") == s.results("ref"))
        }
    }

    @Test func anotherConfigOrShardIsRefusedOnAnUnfinishedFolder() throws {
        try withScratch { s in
            let config = try s.write("sweep.yaml", sweepConfig)
            _ = try s.interrupt(["run", try s.write("slow.yaml", slowConfig), "--out", s.path("out"), "--jobs", "1"],
                                folder: "out", with: SIGKILL)
            let before = try s.snapshot("out")

            let other = try s.run(["run", config, "--out", s.path("out")])
            #expect(other.status == 3, "\(other)")
            #expect(other.stderr.contains("holds results of a different config"), "\(other)")
            #expect(other.stderr.contains("choose another --out or remove the folder"), "\(other)")
            let shard = try s.run(["run", s.path("slow.yaml"), "--shard", "1/2", "--out", s.path("out")])
            #expect(shard.status == 3, "\(shard)")
            #expect(shard.stderr.contains("shard 1/2"), "\(shard)")
            #expect(try s.snapshot("out") == before, "a refused run changed the folder")
        }
    }
}
