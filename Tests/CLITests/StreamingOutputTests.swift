import Foundation
import Testing

/// Output at server scale (issue 19): the result files are written in bounded memory,
/// and `output.metrics_file` gives csv, csv.gz or no per-replicate table, in forms
/// that merge with one another and read back as the same rows.
@Suite struct StreamingOutputTests {
    /// 12,500 replicates × 100 generations × 8 metrics = 10⁷ values (exact statistics).
    static let tenMillionValues = """
        name: ten-million
        seed: 3
        replicates: 12500
        generations: 99
        samples: 100
        model: { family: gaussian, estimator: mle }
        real: { distribution: normal, mean: 0.0, sd: 1.0 }
        policy: { kind: replace }
        metrics: [kl, mean, mean_drift, quantile_spread_ratio, tail_mass_ratio, variance, variance_ratio, w2]
        sampler: statistics

        """

    /// Before streaming, the whole journal and each cell's CSV text were held at once:
    /// about 170 bytes a value, 1.7 GB here. Now a cell is written a chain at a time and
    /// summarised a block at a time: measured 68 MB.
    @Test func tenMillionValuesAreWrittenInUnder150MB() throws {
        try withScratch { s in
            let config = try s.write("big.yaml", Self.tenMillionValues)
            let r = try s.measured(["run", config, "--out", s.path("out"), "--quiet"], pause: 10_000)
            let stderr = try s.text("stderr.txt")
            #expect(r.status == 0, "\(stderr)")
            #expect(r.maxRSSkB > 0 && r.maxRSSkB < 150_000, "peak RSS \(r.maxRSSkB) kB")
            // Every row is there: 10⁷ and the header.
            let size = try #require(try FileManager.default.attributesOfItem(atPath: s.path("out/metrics.csv"))[.size] as? Int)
            let handle = try #require(FileHandle(forReadingAtPath: s.path("out/metrics.csv")))
            var newlines = 0
            while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty { newlines += chunk.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }
            try handle.close()
            #expect(newlines == 10_000_001, "\(newlines) lines in \(size) bytes")
            #expect(csvLines(try s.text("out/summary.csv")).count == 1 + 100 * 8)
        }
    }

    static let sweep = """
        name: forms
        seed: 11
        replicates: 6
        generations: 8
        samples: 15
        model: { family: gaussian, estimator: mle }
        real: { distribution: normal, mean: 0.0, sd: 1.0 }
        policy: { kind: replace }
        metrics: [mean, variance]
        output: { collapse: { metric: variance, below: 0.8 } }
        sweep: { samples: [15, 30] }

        """

    /// gunzip of `path`, by the system's gzip (an independent reader).
    func gunzip(_ path: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-dc", path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return data
    }

    @Test func shardsInMixedFormsMergeToTheSingleRunInEveryForm() throws {
        try withScratch { s in
            let config = try s.write("forms.yaml", Self.sweep)
            let single = try s.run(["run", config, "--out", s.path("single"), "--quiet"])
            try #require(single.status == 0, "\(single)")
            let reference = try s.results("single")

            // The same config in gzip form: same hash, the same text gzipped, nothing else changes.
            let gz = try s.run(["run", config, "--out", s.path("gz"), "--set", "output.metrics_file=csv.gz"])
            try #require(gz.status == 0, "\(gz)")
            #expect(gz.stdout.contains("metrics.csv.gz"), "\(gz)")
            #expect(!s.exists("gz/metrics.csv"))
            #expect(try gunzip(s.path("gz/metrics.csv.gz")) == reference["metrics.csv"])
            // The gzip header: no name, time 0, operating system "unknown" (RFC 1952).
            let gzHeader = [UInt8](try s.data("gz/metrics.csv.gz").prefix(10))
            #expect(gzHeader == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, gzHeader[8], 255], "\(gzHeader)")
            for file in ["summary.csv", "cells.csv", "events.csv"] { #expect(try s.data("gz/\(file)") == reference[file], "\(file)") }
            #expect(try s.json("gz/manifest.json")["config_hash"] as? String == s.json("single/manifest.json")["config_hash"] as? String)
            #expect(try s.json("gz/manifest.json")["files"] as? [String] == ["metrics.csv.gz", "summary.csv", "cells.csv", "events.csv"])

            // Shard 1 in csv, shard 2 in csv.gz, shard 3 with no table.
            for (k, form) in [(1, "csv"), (2, "csv.gz"), (3, "none")] {
                let r = try s.run(["run", config, "--shard", "\(k)/3", "--out", s.path("shard\(k)"), "--quiet",
                                   "--set", "output.metrics_file=\(form)"])
                try #require(r.status == 0, "\(r)")
            }
            let shards = (1...3).map { s.path("shard\($0)") }
            let merged = try s.run(["merge"] + shards + ["--out", s.path("merged"), "--quiet"])
            try #require(merged.status == 0, "\(merged)")
            #expect(try s.results("merged") == reference, "merged in the first shard's form (csv) differs from the single run")

            let mergedGz = try s.run(["merge"] + shards + ["--out", s.path("merged-gz"), "--metrics-file", "csv.gz"])
            try #require(mergedGz.status == 0, "\(mergedGz)")
            #expect(try gunzip(s.path("merged-gz/metrics.csv.gz")) == reference["metrics.csv"])
            #expect(try s.data("merged-gz/summary.csv") == reference["summary.csv"])

            let mergedNone = try s.run(["merge"] + shards.reversed() + ["--out", s.path("merged-none"), "--metrics-file", "none", "--quiet"])
            try #require(mergedNone.status == 0, "\(mergedNone)")
            let noneConfig = try #require(try s.json("merged-none/manifest.json")["config"] as? [String: Any])
            #expect((noneConfig["output"] as? [String: Any])?["metrics_file"] as? String == "none")
            #expect(!s.exists("merged-none/metrics.csv") && !s.exists("merged-none/metrics.csv.gz"))
            for file in ["summary.csv", "cells.csv", "events.csv"] { #expect(try s.data("merged-none/\(file)") == reference[file], "\(file)") }

            // export reads the gzip form as the plain one; a folder without the table says how to get it.
            let plain = try s.run(["export", s.path("single"), "--what", "metrics", "--out", s.path("plain.csv")])
            try #require(plain.status == 0, "\(plain)")
            let fromGz = try s.run(["export", s.path("gz"), "--what", "metrics", "--out", s.path("fromgz.csv")])
            try #require(fromGz.status == 0, "\(fromGz)")
            #expect(try s.data("plain.csv") == s.data("fromgz.csv"))
            let none = try s.run(["run", config, "--out", s.path("none"), "--set", "output.metrics_file=none", "--quiet"])
            try #require(none.status == 0, "\(none)")
            let refused = try s.run(["export", s.path("none"), "--what", "metrics", "--out", s.path("none.csv")])
            #expect(refused.status == 2, "\(refused)")
            #expect(refused.stderr.contains("written with output.metrics_file: none"), "\(refused)")
            #expect(refused.stderr.contains("--metrics-file csv"), "\(refused)")
            #expect(!s.exists("none.csv"))
            // A truncated gzip is an error, not a shorter table.
            let whole = try s.data("gz/metrics.csv.gz")
            try FileManager.default.createDirectory(at: s.url("cut"), withIntermediateDirectories: true)
            for file in ["manifest.json", "summary.csv", "cells.csv", "events.csv"] {
                try FileManager.default.copyItem(at: s.url("gz/\(file)"), to: s.url("cut/\(file)"))
            }
            try whole.prefix(whole.count / 2).write(to: s.url("cut/metrics.csv.gz"))
            let cut = try s.run(["export", s.path("cut"), "--what", "metrics", "--out", s.path("cut.csv")])
            #expect(cut.status == 2 && cut.stderr.contains("truncated or corrupt gzip"), "\(cut)")
            #expect(!s.exists("cut.csv"))
            // Rewritten in another form, the folder keeps only the new one.
            let again = try s.run(["run", config, "--out", s.path("gz"), "--quiet"])
            try #require(again.status == 0, "\(again)")
            #expect(s.exists("gz/metrics.csv") && !s.exists("gz/metrics.csv.gz"))
            #expect(try s.data("gz/metrics.csv") == reference["metrics.csv"])
            // The table written later from the folder's own journal.
            let rebuilt = try s.run(["merge", s.path("none"), "--out", s.path("rebuilt"), "--metrics-file", "csv", "--quiet"])
            try #require(rebuilt.status == 0, "\(rebuilt)")
            #expect(try s.data("rebuilt/metrics.csv") == reference["metrics.csv"])
            // report reads every form.
            for folder in ["gz", "none"] {
                let report = try s.run(["report", s.path(folder)])
                #expect(report.status == 0, "\(report)")
            }
        }
    }

    @Test func aBadFormOrASweptFormIsAConfigError() throws {
        try withScratch { s in
            let config = try s.write("forms.yaml", Self.sweep)
            let bad = try s.run(["run", config, "--out", s.path("out"), "--set", "output.metrics_file=parquet"])
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("output.metrics_file: got 'parquet'; allowed: one of csv, csv.gz, none"), "\(bad)")
            let swept = try s.run(["run", config, "--out", s.path("out"), "--set", "sweep.output.metrics_file=[csv, none]"])
            #expect(swept.status == 2)
            #expect(swept.stderr.contains("output.metrics_file, which applies to the whole run"), "\(swept)")
            // Swept as a whole map, the cells would differ in form: refused too.
            let wholeMap = try s.run(["run", config, "--out", s.path("out"),
                                      "--set", "sweep.output=[{metrics_file: csv}, {metrics_file: none}]"])
            #expect(wholeMap.status == 2)
            #expect(wholeMap.stderr.contains("cells with different output.metrics_file"), "\(wholeMap)")
            let merge = try s.run(["merge", s.path("x"), "--out", s.path("m"), "--metrics-file", "zip"])
            #expect(merge.status != 0 && merge.stderr.contains("allowed: one of csv, csv.gz, none"), "\(merge)")
            #expect(!s.exists("out") && !s.exists("m"))
        }
    }
}
