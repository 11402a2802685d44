import Foundation
import Testing

// Sweeps, shards and `collapse merge`, end to end: however a sweep is split (workers,
// shards, an interrupted and resumed run), the result files are the same bytes.

@Suite struct ShardMergeTests {
    @Test func jobsShardsMergedAndResumedRunsAreByteIdentical() throws {
        try withScratch { s in
            let config = try s.write("sweep.yaml", sweepConfig)
            for jobs in [1, 2] {
                let r = try s.run(["run", config, "--out", s.path("jobs\(jobs)"), "--jobs", String(jobs), "--quiet"])
                try #require(r.status == 0, "\(r)")
            }
            let reference = try s.results("jobs1")
            #expect(Set(reference.keys) == ["metrics.csv", "summary.csv", "cells.csv", "events.csv"])
            #expect(try s.results("jobs2") == reference, "--jobs 2 differs from --jobs 1")

            // cells.csv: the 2 × 2 grid in the order written, policy.kind varying slowest.
            let cells = csvLines(try s.text("jobs1/cells.csv"))
            #expect(cells.count == 5)
            #expect(cells[0] == "cell,policy.kind,samples")
            #expect(cells.dropFirst().map { $0.split(separator: ",").dropFirst().joined(separator: ",") }
                    == ["replace,20", "replace,40", "accumulate,20", "accumulate,40"])
            // Every cell of cells.csv has 20 replicates × 11 generations × 3 metrics rows.
            let metrics = csvLines(try s.text("jobs1/metrics.csv"))
            for line in cells.dropFirst() {
                let id = line.split(separator: ",")[0]
                #expect(metrics.filter { $0.hasPrefix(id + ",") }.count == 20 * 11 * 3, "cell \(id)")
            }

            // Three shards, each into its own folder, merged (shards given out of order).
            for k in 1...3 {
                let r = try s.run(["run", config, "--shard", "\(k)/3", "--out", s.path("shard\(k)"), "--jobs", "2"])
                try #require(r.status == 0, "\(r)")
                #expect(r.stdout.contains("collapse merge"), "a shard should say how to merge: \(r)")
                #expect(!s.exists("shard\(k)/metrics.csv"), "a shard wrote metrics.csv")
            }
            let merged = try s.run(["merge", s.path("shard3"), s.path("shard1"), s.path("shard2"), "--out", s.path("merged")])
            try #require(merged.status == 0, "\(merged)")
            #expect(merged.stdout.contains("merged 80 chains of 4 cells from 3 folders"), "\(merged)")
            #expect(try s.results("merged") == reference, "3 merged shards differ from the single run")
            let m1 = try s.json("jobs1/manifest.json"), mm = try s.json("merged/manifest.json")
            #expect(mm["config_hash"] as? String == m1["config_hash"] as? String)
            #expect((mm["cells"] as? [Any])?.count == 4)

            // A run interrupted (SIGINT as soon as it journaled a chain) and resumed.
            let command = ["run", config, "--out", s.path("resumed"), "--jobs", "1", "--quiet"]
            let first = try s.interrupt(command, folder: "resumed", with: SIGINT).invocation
            #expect(first.status == 130 || first.status == 0, "\(first)")
            let second = try s.run(command)
            try #require(second.status == 0, "\(second)")
            #expect(try s.results("resumed") == reference, "the resumed run differs from the single run")
        }
    }

    @Test func mergeRefusesShardsOfDifferentConfigs() throws {
        try withScratch { s in
            let config = try s.write("sweep.yaml", sweepConfig)
            for (k, extra) in [(1, []), (2, ["--set", "seed=8"])] {
                let r = try s.run(["run", config, "--shard", "\(k)/2", "--out", s.path("s\(k)"), "--quiet"] + extra)
                try #require(r.status == 0, "\(r)")
            }
            let r = try s.run(["merge", s.path("s1"), s.path("s2"), "--out", s.path("merged")])
            #expect(r.status == 4, "\(r)")
            #expect(r.stderr.contains("the folders hold results of different configs"), "\(r)")
            #expect(r.stderr.contains("\(s.path("s1")): config_hash "), "\(r)")
            #expect(r.stderr.contains("shard 2/2"), "\(r)")
            #expect(!s.exists("merged"), "a refused merge wrote something")

            // A folder that is not a run folder at all.
            try s.write("notes/readme.txt", "hello\n")
            let foreign = try s.run(["merge", s.path("s1"), s.path("notes"), "--out", s.path("merged")])
            #expect(foreign.status == 4, "\(foreign)")
            #expect(foreign.stderr.contains("not a collapse run folder"), "\(foreign)")
        }
    }

    @Test func mergeReportsMissingShardsAndDuplicates() throws {
        try withScratch { s in
            let config = try s.write("sweep.yaml", sweepConfig)
            for k in 1...3 {
                let r = try s.run(["run", config, "--shard", "\(k)/3", "--out", s.path("s\(k)"), "--quiet"])
                try #require(r.status == 0, "\(r)")
            }
            let missing = try s.run(["merge", s.path("s1"), s.path("s3"), "--out", s.path("merged")])
            #expect(missing.status == 4, "\(missing)")
            #expect(missing.stderr.contains("27 of 80 chains are missing; nothing was written."), "\(missing)")
            #expect(missing.stderr.contains("shard 2/3: missing (no folder given; 27 chains)"), "\(missing)")
            #expect(missing.stderr.contains("missing: cell "), "\(missing)")
            #expect(!s.exists("merged"))

            // The same shard twice (two copies of one folder): a warning, each chain used once.
            try FileManager.default.copyItem(at: s.url("s2"), to: s.url("s2-copy"))
            let twice = try s.run(["merge", s.path("s1"), s.path("s2"), s.path("s2-copy"), s.path("s3"), "--out", s.path("merged")])
            #expect(twice.status == 0, "\(twice)")
            #expect(twice.stderr.contains("warning: 27 chains are in more than one folder (identical, each used once)"), "\(twice)")
            let single = try s.run(["run", config, "--out", s.path("single"), "--quiet"])
            try #require(single.status == 0, "\(single)")
            #expect(try s.results("merged") == s.results("single"))
        }
    }

    /// An unfinished shard is named with the command that finishes it.
    @Test func mergeNamesAnIncompleteShard() throws {
        try withScratch { s in
            let config = try s.write("slow.yaml", slowConfig)
            _ = try s.interrupt(["run", config, "--shard", "1/2", "--out", s.path("s1"), "--jobs", "1"], folder: "s1", with: SIGKILL)
            let r = try s.run(["merge", s.path("s1"), "--out", s.path("merged")])
            #expect(r.status == 4, "\(r)")
            #expect(r.stderr.contains("shard 1/2 in \(s.path("s1")): incomplete"), "\(r)")
            #expect(r.stderr.contains("rerun its `collapse run --shard 1/2` command to finish it"), "\(r)")
            #expect(r.stderr.contains("shard 2/2: missing (no folder given; 100 chains)"), "\(r)")
        }
    }

    /// The documented workflow with every default: `collapse run X --shard k/2` writes
    /// results/NAME/shards/k, prints the merge command with those real folders, and that
    /// command, run as printed, merges them into results/NAME (which holds only shards/),
    /// equal to a single run byte for byte, the shards untouched.
    @Test func defaultShardFoldersMergeIntoTheirParent() throws {
        try withScratch { s in
            try s.write("tiny.yaml", tinyConfig)
            var hints: [String] = []
            for k in 1...2 {
                let r = try s.run(["run", "tiny.yaml", "--shard", "\(k)/2"])
                try #require(r.status == 0, "\(r)")
                let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("wrote ") }, "\(r)")
                #expect(line == "wrote \(s.path("results/tiny/shards/\(k)")) (shard \(k)/2); combine all 2 shards with: collapse merge results/tiny/shards/1 results/tiny/shards/2 --out results/tiny")
                hints.append(String(line))
            }
            let shards = try s.snapshot("results/tiny/shards")
            let command = try #require(hints[0].components(separatedBy: "with: collapse ").last)
            let merged = try s.run(command.split(separator: " ").map(String.init))
            try #require(merged.status == 0, "\(merged)")
            let single = try s.run(["run", "tiny.yaml", "--out", "single", "--quiet"])
            try #require(single.status == 0, "\(single)")
            for file in ["metrics.csv", "summary.csv", "cells.csv"] {
                #expect(try s.data("results/tiny/\(file)") == s.data("single/\(file)"), "\(file) differs from the single run")
            }
            #expect(try s.snapshot("results/tiny/shards") == shards, "the merge changed the shard folders")
            // The merged folder is a finished run of the config: the same merge is welcome again.
            let again = try s.run(command.split(separator: " ").map(String.init))
            #expect(again.status == 0, "\(again)")
        }
    }

    /// A plain run into a folder holding only the default shard folders of its config
    /// runs every chain itself, beside shards/, which it leaves as they are.
    @Test func plainRunBesideDefaultShardFolders() throws {
        try withScratch { s in
            try s.write("tiny.yaml", tinyConfig)
            let shard = try s.run(["run", "tiny.yaml", "--shard", "1/2", "--quiet"])
            try #require(shard.status == 0, "\(shard)")
            let shards = try s.snapshot("results/tiny/shards")
            let plain = try s.run(["run", "tiny.yaml", "--jobs", "1"])
            try #require(plain.status == 0, "\(plain)")
            #expect(plain.stdout.contains("ran 20 chains"), "\(plain)")
            #expect(!plain.stderr.contains("resuming"), "\(plain)")
            let single = try s.run(["run", "tiny.yaml", "--out", "single", "--quiet"])
            try #require(single.status == 0, "\(single)")
            for file in ["metrics.csv", "summary.csv", "cells.csv"] {
                #expect(try s.data("results/tiny/\(file)") == s.data("single/\(file)"), "\(file) differs from the single run")
            }
            #expect(try s.snapshot("results/tiny/shards") == shards, "the run changed the shard folder")
        }
    }

    /// shards/ is accepted only when every entry is a run folder of this config; else
    /// the run and the merge are refused (exit 3), naming the entry, with nothing written.
    @Test func shardsOfAnotherConfigOrForeignEntriesAreRefused() throws {
        try withScratch { s in
            try s.write("tiny.yaml", tinyConfig)
            for (k, extra) in [(1, [String]()), (2, ["--set", "seed=8"])] {
                let r = try s.run(["run", "tiny.yaml", "--shard", "\(k)/2", "--quiet"] + extra)
                try #require(r.status == 0, "\(r)")
            }
            // Shard 2 of this config, elsewhere: the merge below has every chain.
            let other = try s.run(["run", "tiny.yaml", "--shard", "2/2", "--out", "elsewhere/2", "--quiet"])
            try #require(other.status == 0, "\(other)")
            let before = try s.snapshot("results/tiny")
            let run = try s.run(["run", "tiny.yaml"])
            #expect(run.status == 3, "\(run)")
            #expect(run.stderr.contains("--out \(s.path("results/tiny")): its shard folder \(s.path("results/tiny/shards/2")) holds a different config (config_hash "), "\(run)")
            #expect(try s.snapshot("results/tiny") == before, "a refused run changed the folder")
            let merge = try s.run(["merge", "results/tiny/shards/1", "elsewhere/2", "--out", "results/tiny"])
            #expect(merge.status == 3, "\(merge)")
            #expect(merge.stderr.contains("holds a different config"), "\(merge)")
            #expect(try s.snapshot("results/tiny") == before, "a refused merge changed the folder")

            try FileManager.default.removeItem(at: s.url("results/tiny/shards/2"))
            try s.write("results/tiny/shards/notes/readme.txt", "mine\n")
            let foreign = try s.run(["run", "tiny.yaml"])
            #expect(foreign.status == 3, "\(foreign)")
            #expect(foreign.stderr.contains("\(s.path("results/tiny/shards/notes")) is not a collapse run folder (no .collapse/run.json)"), "\(foreign)")
            #expect(!s.exists("results/tiny/manifest.json") && !s.exists("results/tiny/.collapse"))

            // Anything beside shards/ makes it a foreign folder, as before.
            try FileManager.default.removeItem(at: s.url("results/tiny/shards/notes"))
            try s.write("results/tiny/notes.txt", "mine\n")
            let beside = try s.run(["run", "tiny.yaml"])
            #expect(beside.status == 3, "\(beside)")
            #expect(beside.stderr.contains("holds no collapse manifest.json"), "\(beside)")
        }
    }

    /// With --out, the hint names the sibling folders when --out ends in the shard
    /// number, and otherwise this folder; the merged folder is left to the user.
    @Test func mergeHintWithOut() throws {
        try withScratch { s in
            try s.write("tiny.yaml", tinyConfig)
            let numbered = try s.run(["run", "tiny.yaml", "--shard", "2/3", "--out", "my shards/2"])
            try #require(numbered.status == 0, "\(numbered)")
            #expect(numbered.stdout.contains("combine all 3 shards with: collapse merge 'my shards/1' 'my shards/2' 'my shards/3' --out NEW_FOLDER"), "\(numbered)")
            let named = try s.run(["run", "tiny.yaml", "--shard", "1/3", "--out", "first"])
            try #require(named.status == 0, "\(named)")
            #expect(named.stdout.contains("combine all 3 shards with: collapse merge first OTHER_SHARD_FOLDERS… --out NEW_FOLDER"), "\(named)")
        }
    }
}
