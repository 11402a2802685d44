import Foundation
import Testing

// End-to-end tests of the built `collapse` binary (see CLIHarness.swift): each runs the
// real executable in a fresh temporary folder and checks its exit status, messages and
// output files.

@Suite struct OutputFormatTests {
    /// `git_commit` is the commit the binary was built from (embedded at build time by
    /// the BuildStamp plugin), with "-dirty" exactly when the checkout's Sources/ or
    /// Package.swift have uncommitted changes: also for a copy of the binary run inside
    /// another repository, which must not record that repository's HEAD.
    @Test func manifestNamesTheCommitOfTheBuild() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let head = try git(["rev-parse", "HEAD"], in: root)
        let dirty = try !git(["status", "--porcelain", "--", "Sources", "Package.swift"], in: root).isEmpty
        let expected = dirty ? head + "-dirty" : head
        try withScratch { s in
            try s.write("other/notes.txt", "another repository\n")
            try git(["init", "-q"], in: s.url("other"))
            try git(["add", "."], in: s.url("other"))
            try git(["commit", "-q", "-m", "other"], in: s.url("other"))
            let otherHead = try git(["rev-parse", "HEAD"], in: s.url("other"))
            try FileManager.default.createDirectory(at: s.url("other/bin"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: CLI.binary, to: s.url("other/bin/collapse"))
            let config = try s.write("tiny.yaml", tinyConfig)
            let runs = [(binary: CLI.binary, directory: s.root, out: "out"),
                        (binary: s.url("other/bin/collapse"), directory: s.url("other"), out: "other/out")]
            for run in runs {
                let p = Process()
                p.executableURL = run.binary
                p.arguments = ["run", config, "--out", s.path(run.out), "--quiet"]
                p.currentDirectoryURL = run.directory
                try p.run()
                p.waitUntilExit()
                try #require(p.terminationStatus == 0, "\(run.binary.path) run exit \(p.terminationStatus)")
                let commit = try s.json("\(run.out)/manifest.json")["git_commit"] as? String
                #expect(commit == expected, "\(run.binary.path) in \(run.directory.path): git_commit \(commit ?? "null"), HEAD \(head), dirty \(dirty)")
                #expect(commit != otherHead)
            }
        }
    }

    @Test func headersRowCountsAndManifestKeys() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            let r = try s.run(["run", config, "--out", s.path("out"), "--jobs", "2"])
            try #require(r.status == 0, "\(r)")
            #expect(r.stdout.contains("wrote"), "\(r)")

            let manifest = try s.json("out/manifest.json")
            for key in ["tool", "gsl_version", "config_hash", "seed", "rng", "started_at", "finished_at",
                        "wall_seconds", "cells", "config"] {
                #expect(manifest[key] != nil, "manifest.json lacks \(key)")
            }
            #expect(manifest["seed"] as? Int == 7)
            #expect(manifest["rng"] as? String == "mt19937")
            let hash = try #require(manifest["config_hash"] as? String)
            #expect(hash.count == 16 && hash.allSatisfy(\.isHexDigit), "config_hash \(hash)")
            #expect((manifest["tool"] as? [String: Any])?["name"] as? String == "collapse")
            #expect((manifest["wall_seconds"] as? Double).map { $0 >= 0 } ?? (manifest["wall_seconds"] is Int))
            let iso = ISO8601DateFormatter()
            iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let started = try #require((manifest["started_at"] as? String).flatMap(iso.date(from:)))
            let finished = try #require((manifest["finished_at"] as? String).flatMap(iso.date(from:)))
            #expect(started <= finished)

            let resolved = try #require(manifest["config"] as? [String: Any])
            let metricNames = try #require(resolved["metrics"] as? [String])
            #expect(!metricNames.isEmpty)
            let replicates = try #require(resolved["replicates"] as? Int)
            let generations = try #require(resolved["generations"] as? Int)
            #expect(replicates == 20 && generations == 10)

            let cells = try #require(manifest["cells"] as? [[String: Any]])
            try #require(cells.count == 1)
            let cellID = try #require(cells[0]["cell"] as? String)
            #expect(cells[0]["status"] as? String == "ok")
            #expect(cells[0]["chains"] as? Int == replicates)

            // metrics.csv: one row per replicate × generation × metric, each exactly once.
            let metricsLines = csvLines(try s.text("out/metrics.csv"))
            #expect(metricsLines.first == "cell,replicate,generation,metric,value")
            let rows = metricsLines.dropFirst()
            #expect(rows.count == replicates * (generations + 1) * metricNames.count)
            var seen = Set<String>()
            for row in rows {
                let fields = row.split(separator: ",", omittingEmptySubsequences: false)
                guard fields.count == 5 else { Issue.record("bad metrics.csv row: \(row)"); continue }
                #expect(fields[0] == cellID[...])
                #expect(metricNames.contains(String(fields[3])), "unlisted metric in \(row)")
                #expect(Double(fields[4]) != nil || ["NaN", "Inf", "-Inf"].contains(fields[4]), "bad value in \(row)")
                guard let rep = Int(fields[1]), let gen = Int(fields[2]), (0..<replicates).contains(rep),
                      (0...generations).contains(gen) else { Issue.record("bad indices in \(row)"); continue }
                seen.insert("\(rep)/\(gen)/\(fields[3])")
            }
            #expect(seen.count == replicates * (generations + 1) * metricNames.count, "duplicate rows in metrics.csv")

            // summary.csv: one row per generation × metric.
            let summaryLines = csvLines(try s.text("out/summary.csv"))
            #expect(summaryLines.first == "cell,generation,metric,mean,sd,ci_low,ci_high,replicates,median,q05,q25,q75,q95")
            #expect(summaryLines.count - 1 == (generations + 1) * metricNames.count)
            for row in summaryLines.dropFirst() {
                #expect(row.split(separator: ",", omittingEmptySubsequences: false).count == 13, "bad summary row \(row)")
            }
        }
    }

    @Test func metricsListIsRespected() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig + "metrics: [w2, variance]\n")
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            let listed = (try s.json("out/manifest.json")["config"] as? [String: Any])?["metrics"] as? [String]
            #expect(listed == ["variance", "w2"])
            let rows = csvLines(try s.text("out/metrics.csv")).dropFirst()
            #expect(rows.count == 20 * 11 * 2)
            #expect(Set(rows.map { String($0.split(separator: ",")[3]) }) == ["variance", "w2"])
        }
    }
}

// MARK: - 8. Degenerate runs
