import Foundation
import Testing

// End-to-end tests of the built `collapse` binary (see CLIHarness.swift): each runs the
// real executable in a fresh temporary folder and checks its exit status, messages and
// output files.

@Suite struct BinaryTests {
    @Test func binaryIsBuiltAndRuns() throws {
        #expect(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "no collapse binary at \(CLI.binary.path)")
        try withScratch { s in
            let r = try s.run(["--version"])
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.contains("0."), "\(r)")
        }
    }
}

// MARK: - 1. Determinism

@Suite struct DeterminismTests {
    @Test func sameSeedGivesIdenticalFilesForAnyJobCount() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            var metrics: [Int: Data] = [:]
            var summaries: [Int: Data] = [:]
            for jobs in [1, 2, 3] {
                let out = "out-jobs\(jobs)"
                let r = try s.run(["run", config, "--out", s.path(out), "--jobs", String(jobs), "--quiet"])
                try #require(r.status == 0, "\(r)")
                metrics[jobs] = try s.data("\(out)/metrics.csv")
                summaries[jobs] = try s.data("\(out)/summary.csv")
            }
            #expect(try #require(metrics[1]).count > 1000)
            #expect(metrics[1] == metrics[2], "metrics.csv differs between --jobs 1 and --jobs 2")
            #expect(metrics[1] == metrics[3], "metrics.csv differs between --jobs 1 and --jobs 3")
            #expect(summaries[1] == summaries[2], "summary.csv differs between --jobs 1 and --jobs 2")
            #expect(summaries[1] == summaries[3], "summary.csv differs between --jobs 1 and --jobs 3")

            // Same config hash in both manifests (jobs is not part of the config).
            let m1 = try s.json("out-jobs1/manifest.json"), m2 = try s.json("out-jobs2/manifest.json")
            #expect(m1["config_hash"] as? String == m2["config_hash"] as? String)
            #expect(m1["jobs"] as? Int == 1)
            #expect(m2["jobs"] as? Int == 2)

            // Another seed: other numbers.
            let r = try s.run(["run", config, "--out", s.path("out-seed8"), "--jobs", "2", "--set", "seed=8", "--quiet"])
            try #require(r.status == 0, "\(r)")
            let other = try s.data("out-seed8/metrics.csv")
            #expect(other != metrics[1], "a different seed gave the same metrics.csv")
            #expect(other.count > 1000)
        }
    }

    @Test func rerunningIsReproducible() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            for out in ["a", "b"] {
                let r = try s.run(["run", config, "--out", s.path(out), "--jobs", "2", "--quiet"])
                try #require(r.status == 0, "\(r)")
            }
            #expect(try s.data("a/metrics.csv") == s.data("b/metrics.csv"))
            #expect(try s.data("a/summary.csv") == s.data("b/summary.csv"))
        }
    }
}

// MARK: - 2. Bad inputs
