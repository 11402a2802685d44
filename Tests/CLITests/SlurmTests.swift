import Foundation
import Testing

// `collapse slurm`: the batch scripts it writes, run by bash (always) and by a real
// Slurm (when one answers; required in CI, where .ci/run starts one with .ci/start-slurm).

/// Whether a Slurm cluster answers here, and whether the suite must have one.
enum SlurmHost {
    /// CI (`CI` set, or `COLLAPSE_REQUIRE_SLURM=1` as exported by .ci/run) must run the
    /// real-Slurm test: there a Slurm that cannot start fails it instead of skipping it.
    static let required: Bool = {
        let env = ProcessInfo.processInfo.environment
        return env["COLLAPSE_REQUIRE_SLURM"] == "1" || ["1", "true"].contains(env["CI"]?.lowercased() ?? "")
    }()

    /// Nil when `sinfo` lists a usable node, else why not.
    static let problem: String? = {
        guard let r = try? command(["sinfo", "-h", "-N", "-o", "%N %T"], timeout: 20), r.status != 127 else {
            return "no sinfo on PATH (Slurm's client tools are not installed)"
        }
        guard r.status == 0 else { return "sinfo failed (exit \(r.status)): \(r.stderr)\(r.stdout)" }
        let states = r.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last }
        guard states.contains(where: { ["idle", "mixed", "allocated", "completing"].contains($0.trimmingCharacters(in: .punctuationCharacters)) }) else {
            return "sinfo shows no usable node: '\(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))'"
        }
        return nil
    }()

    /// Runs a program found on PATH; output through files, bounded by `timeout`.
    static func command(_ arguments: [String], timeout: TimeInterval = 60) throws -> (status: Int32, stdout: String, stderr: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("collapse-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        return (p.terminationReason == .exit ? p.terminationStatus : 128 + p.terminationStatus,
                String(decoding: try Data(contentsOf: out), as: UTF8.self),
                String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

@Suite struct SlurmTests {
    static let resultFiles = ["metrics.csv", "summary.csv", "cells.csv", "events.csv"]

    /// The generated scripts are plain bash: running array.sbatch for k = 1…3 (as Slurm's
    /// array tasks would) and then merge.sbatch gives the single run's bytes.
    @Test func scriptsRunByBashGiveTheSingleRunsBytes() throws {
        try withScratch { s in
            let config = try s.write("sweep.yaml", sweepConfig)
            let r = try s.run(["slurm", config, "--array", "3", "--out", s.path("cluster"), "--partition", "short",
                               "--time", "00:10:00", "--mem", "1G", "--sbatch-arg=--qos=low", "--set", "replicates=10"])
            try #require(r.status == 0, "\(r)")
            #expect(r.stdout.contains("3 tasks over 40 chains in 4 cells"), "\(r)")
            #expect(r.stdout.contains("submit with: "), "\(r)")
            let array = try s.text("cluster/slurm/array.sbatch"), merge = try s.text("cluster/slurm/merge.sbatch")
            for line in ["#SBATCH --array=1-3", "#SBATCH --partition=short", "#SBATCH --time=00:10:00",
                         "#SBATCH --mem=1G", "#SBATCH --qos=low", "--shard \"${SLURM_ARRAY_TASK_ID}/3\"", "--set replicates=10"] {
                #expect(array.contains(line), "array.sbatch lacks \(line):\n\(array)")
            }
            #expect(merge.contains("#SBATCH --partition=short"), "\(merge)")
            #expect(merge.contains(" merge \(s.path("cluster/shards/1")) \(s.path("cluster/shards/2")) \(s.path("cluster/shards/3")) --out \(s.path("cluster"))"), "\(merge)")
            #expect(try s.text("cluster/slurm/submit.sh").contains("--dependency=afterok:"))

            for k in 1...3 {
                let task = try SlurmHost.command(["env", "SLURM_ARRAY_TASK_ID=\(k)", "SLURM_CPUS_PER_TASK=2", "bash", s.path("cluster/slurm/array.sbatch")])
                try #require(task.status == 0, "task \(k): \(task)")
            }
            let merged = try SlurmHost.command(["bash", s.path("cluster/slurm/merge.sbatch")])
            try #require(merged.status == 0, "\(merged)")
            let single = try s.run(["run", config, "--out", s.path("single"), "--set", "replicates=10", "--quiet"])
            try #require(single.status == 0, "\(single)")
            for file in Self.resultFiles {
                #expect(try s.data("cluster/\(file)") == s.data("single/\(file)"), "\(file) differs")
            }
        }
    }

    /// A config whose data file is relative to its own folder: the jobs read the copy in
    /// slurm/, and `--config-dir` keeps the path starting at the original folder.
    @Test func jobsOfAFileBackedConfigFindTheFile() throws {
        try withScratch { s in
            try s.write("exp/data.csv", "x\n" + (1...80).map(String.init).joined(separator: "\n") + "\n")
            let config = try s.write("exp/c.yaml", """
                name: filed
                samples: 10
                generations: 3
                replicates: 6
                real: { distribution: table, file: data.csv }
                """)
            let r = try s.run(["slurm", config, "--array", "2", "--out", s.path("cluster")])
            try #require(r.status == 0, "\(r)")
            #expect(try s.text("cluster/slurm/array.sbatch").contains("--config-dir \(s.path("exp"))"))
            for k in 1...2 {
                let task = try SlurmHost.command(["env", "SLURM_ARRAY_TASK_ID=\(k)", "bash", s.path("cluster/slurm/array.sbatch")])
                try #require(task.status == 0, "task \(k): \(task)")
            }
            try #require(try SlurmHost.command(["bash", s.path("cluster/slurm/merge.sbatch")]).status == 0)
            let single = try s.run(["run", config, "--out", s.path("single"), "--quiet"])
            try #require(single.status == 0, "\(single)")
            for file in Self.resultFiles {
                #expect(try s.data("cluster/\(file)") == s.data("single/\(file)"), "\(file) differs")
            }
        }
    }

    /// `collapse slurm --submit` on a real Slurm: the array and the dependent merge job
    /// run, and the merged folder equals the single-machine run byte for byte. Skipped
    /// (with the reason) when no Slurm answers outside CI; in CI a missing Slurm fails it.
    @Test(.enabled(if: SlurmHost.problem == nil || SlurmHost.required,
                   "no Slurm answers here (\(SlurmHost.problem ?? "")); start one with .ci/start-slurm, or set COLLAPSE_REQUIRE_SLURM=1 to make this a failure"))
    func jobArrayOnARealSlurmGivesTheSingleRunsBytes() throws {
        if let problem = SlurmHost.problem {
            Issue.record("Slurm is required here (CI or COLLAPSE_REQUIRE_SLURM=1) but does not answer: \(problem). .ci/start-slurm should have started it; see /var/log/slurm/")
            return
        }
        try withScratch { s in
            let config = try s.write("sweep.yaml", sweepConfig)
            let r = try s.run(["slurm", config, "--array", "3", "--out", s.path("cluster"), "--submit"])
            try #require(r.status == 0, "\(r)")
            // "submitted array job A (3 tasks) and merge job M"
            let words = r.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" })
            let arrayJob = try #require(words.firstIndex(of: "array").map { String(words[$0 + 2]) }, "\(r)")
            let mergeJob = try #require(words.firstIndex(of: "merge").map { String(words[$0 + 2]) }, "\(r)")
            let jobs = "\(arrayJob),\(mergeJob)"

            // Wait until neither job is queued or running (at most 3 minutes).
            let deadline = Date().addingTimeInterval(180)
            var queue = ""
            repeat {
                Thread.sleep(forTimeInterval: 0.5)
                queue = try SlurmHost.command(["squeue", "-h", "-j", jobs, "-o", "%i %T %r"]).stdout
            } while !queue.isEmpty && Date() < deadline
            let logs = { (try? FileManager.default.contentsOfDirectory(atPath: s.path("cluster/slurm/logs")))?.sorted()
                .map { "--- \($0) ---\n" + ((try? s.text("cluster/slurm/logs/\($0)")) ?? "") }.joined(separator: "\n") ?? "no logs" }
            guard queue.isEmpty else {
                _ = try? SlurmHost.command(["scancel", arrayJob, mergeJob])
                Issue.record("jobs \(jobs) still queued after 180 s:\n\(queue)\n\(logs())")
                return
            }
            let state = try SlurmHost.command(["scontrol", "show", "job", mergeJob]).stdout
            #expect(state.contains("JobState=COMPLETED"), "merge job \(mergeJob): \(state)\n\(logs())")

            let single = try s.run(["run", config, "--out", s.path("single"), "--quiet"])
            try #require(single.status == 0, "\(single)")
            for file in Self.resultFiles {
                let fromSlurm = s.exists("cluster/\(file)") ? try s.data("cluster/\(file)") : nil
                #expect(try fromSlurm == s.data("single/\(file)"), "\(file) from Slurm differs from the single run\n\(logs())")
            }
            for k in 1...3 { #expect(s.exists("cluster/shards/\(k)/manifest.json"), "shard \(k) did not finish") }
        }
    }
}
