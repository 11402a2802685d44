import Foundation
import Testing

/// `collapse theory` on a results folder (the config recorded in its manifest), and the
/// formula it prints for each metric.
@Suite struct TheoryCommandTests {
    /// `collapse theory DIR` writes into DIR the theory.csv that the config with the
    /// same `--set` writes, without the config or the `--set` given again.
    @Test func aResultsFolderIsReadFromItsManifest() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            let run = try s.run(["run", config, "--set", "samples=30", "--set", "sampling.temperature=0.9",
                                 "--out", s.path("out"), "--quiet"])
            try #require(run.status == 0, "\(run)")
            let before = try s.snapshot("out")
            let r = try s.run(["theory", s.path("out")])
            try #require(r.status == 0, "\(r)")
            #expect(r.stdout.contains("wrote \(s.path("out"))/theory.csv"), "\(r)")
            let fromConfig = try s.run(["theory", config, "--set", "samples=30", "--set", "sampling.temperature=0.9",
                                        "--out", s.path("expected")])
            try #require(fromConfig.status == 0, "\(fromConfig)")
            #expect(try s.data("out/theory.csv") == s.data("expected/theory.csv"))
            // E[σ²_1] = λ((n−1)/n)² with λ = 0.9, n = 30 (Shumailov et al. 2024).
            let rows = csvLines(try s.text("out/theory.csv")).map { $0.split(separator: ",") }
            let row = try #require(rows.first { $0.count == 4 && $0[1] == "1" && $0[2] == "variance" })
            #expect(abs(try #require(Double(row[3])) - 0.9 * pow(29.0 / 30, 2)) < 1e-12, "\(row)")
            // Nothing else in the folder changed.
            var after = try s.snapshot("out")
            after["theory.csv"] = nil
            #expect(after == before)
        }
    }

    /// A file-backed run's folder: the data file is found from the manifest's
    /// config_directory, whatever the working directory.
    @Test func aFileBackedFolderFindsItsDataFile() throws {
        try withScratch { s in
            try s.write("exp/data/t.csv", "x\n" + (1...40).map(String.init).joined(separator: "\n") + "\n")
            let config = try s.write("exp/configs/c.yaml", """
                samples: 10
                generations: 2
                replicates: 2
                real: { distribution: table, file: ../data/t.csv }
                """)
            try #require(try s.run(["run", config, "--out", s.path("out"), "--quiet"]).status == 0)
            let r = try s.run(["theory", "out"])
            try #require(r.status == 0, "\(r)")
            #expect(csvLines(try s.text("out/theory.csv")).contains { $0.contains(",2,variance,") })
        }
    }

    @Test func aFolderRefusesSetAndNeedsAManifest() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            try #require(try s.run(["run", config, "--out", s.path("out"), "--quiet"]).status == 0)
            let set = try s.run(["theory", s.path("out"), "--set", "samples=50"])
            #expect(set.status == 64, "\(set)")
            #expect(set.stderr.contains("--set and --config-dir: not allowed with a results folder (\(s.path("out")))"), "\(set)")
            #expect(!s.exists("out/theory.csv"))

            try FileManager.default.createDirectory(at: s.url("empty"), withIntermediateDirectories: true)
            let empty = try s.run(["theory", s.path("empty")])
            #expect(empty.status == 3, "\(empty)")
            #expect(empty.stderr.contains("\(s.path("empty")): no readable manifest.json; run `collapse run` into this folder first"), "\(empty)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: s.path("empty")).isEmpty)
        }
    }

    /// Each metric's printed source is its own formula: variance_ratio's is
    /// E[σ²_t/σ₀²] = λ^t((n−1)/n)^(t+1), not the variance's σ₀²·….
    @Test func printsEachMetricsOwnFormula() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            let r = try s.run(["theory", config, "--out", s.path("out")])
            try #require(r.status == 0, "\(r)")
            let lines = r.stdout.components(separatedBy: "\n")
            let ratio = try #require(lines.first { $0.hasPrefix("  variance_ratio: ") }, "\(r)")
            #expect(ratio.contains("E[σ²_t/σ₀²] = λ^t((n−1)/n)^(t+1)") && !ratio.contains("E[σ²_t] ="), "\(ratio)")
            let variance = try #require(lines.first { $0.hasPrefix("  variance: ") }, "\(r)")
            #expect(variance.contains("E[σ²_t] = σ₀²·λ^t((n−1)/n)^(t+1)"), "\(variance)")
        }
    }
}
