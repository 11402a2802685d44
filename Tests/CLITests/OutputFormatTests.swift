import Foundation
import Testing

// End-to-end tests of the built `collapse` binary (see CLIHarness.swift): each runs the
// real executable in a fresh temporary folder and checks its exit status, messages and
// output files.

@Suite struct OutputFormatTests {
    /// `git_commit` (looked up beside the run) is HEAD of the checkout the binary was
    /// built in, with "-dirty" when its sources have uncommitted changes.
    @Test func manifestNamesTheCommitOfTheBuild() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", root.path, "rev-parse", "HEAD"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = FileHandle.nullDevice
        try git.run()
        let head = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        git.waitUntilExit()
        try #require(git.terminationStatus == 0, "\(root.path) is not a git checkout")
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            let commit = try s.json("out/manifest.json")["git_commit"] as? String
            #expect(commit == head || commit == head + "-dirty", "git_commit \(commit ?? "null"), HEAD \(head)")
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
