import Foundation
import Testing

// End-to-end tests of the built `collapse` binary: each runs the real executable in a
// fresh temporary folder and checks its exit status, messages and output files.

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

struct BadInput: Sendable, CustomTestStringConvertible {
    var label: String
    var config: String
    var overrides: [String] = []
    var expected: [String]

    var testDescription: String { label }

    static let all: [BadInput] = [
        BadInput(label: "unknown top-level key", config: tinyConfig + "sampels: 10\n",
                 expected: ["sampels", "unknown key"]),
        BadInput(label: "wrong type", config: "samples: many\n", expected: ["samples", "many"]),
        BadInput(label: "negative samples", config: "samples: -5\n", expected: ["samples", "-5"]),
        BadInput(label: "real_fraction out of range", config: "policy: {kind: mix, real_fraction: 1.5}\n",
                 expected: ["policy.real_fraction", "1.5"]),
        BadInput(label: "dimension above samples",
                 config: "real: {distribution: normal, mean: [0, 0, 0, 0, 0]}\nsamples: 3\n",
                 expected: ["samples", "3", "dimension"]),
        BadInput(label: "malformed YAML", config: "samples: [1, 2\n", expected: ["malformed YAML"]),
        BadInput(label: "unknown family", config: "model: {family: vae}\n", expected: ["model.family", "vae"]),
        BadInput(label: "--set out of range", config: tinyConfig, overrides: ["sampling.temperature=-1"],
                 expected: ["sampling.temperature", "-1"]),
        BadInput(label: "--set unknown key", config: tinyConfig, overrides: ["sampels=10"],
                 expected: ["sampels", "unknown key"]),
        BadInput(label: "--set without =", config: tinyConfig, overrides: ["samples"],
                 expected: ["--set", "samples"]),
    ]
}

@Suite struct BadInputTests {
    @Test(arguments: BadInput.all)
    func runRefusesWithExitCode2AndCreatesNothing(_ bad: BadInput) throws {
        try withScratch { s in
            let config = try s.write("bad.yaml", bad.config)
            let out = s.path("out")
            let r = try s.run(["run", config, "--out", out, "--jobs", "1"] + bad.overrides.flatMap { ["--set", $0] })
            #expect(r.status == 2, "\(r)")
            #expect(r.stderr.hasPrefix("error: invalid config"), "\(r)")
            for piece in bad.expected {
                #expect(r.stderr.contains(piece), "stderr lacks '\(piece)': \(r)")
            }
            #expect(!s.exists("out"), "the --out folder was created for a bad config")
            #expect(!s.exists("results"), "a default results folder was created for a bad config")
            #expect(r.stdout.isEmpty, "\(r)")
        }
    }

    @Test(arguments: BadInput.all)
    func validateRefusesWithExitCode2(_ bad: BadInput) throws {
        try withScratch { s in
            let config = try s.write("bad.yaml", bad.config)
            let r = try s.run(["validate", config] + bad.overrides.flatMap { ["--set", $0] })
            #expect(r.status == 2, "\(r)")
            #expect(r.stderr.hasPrefix("error: invalid config"), "\(r)")
            for piece in bad.expected {
                #expect(r.stderr.contains(piece), "stderr lacks '\(piece)': \(r)")
            }
            #expect(r.stdout.isEmpty, "\(r)")
        }
    }

    @Test func errorLinesNameFieldValueAndAllowed() throws {
        try withScratch { s in
            let config = try s.write("bad.yaml", "policy: {kind: mix, real_fraction: 1.5}\n")
            let r = try s.run(["run", config, "--out", s.path("out")])
            #expect(r.status == 2, "\(r)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("  policy.real_fraction: got 1.5; allowed: ") }, "\(r)")
        }
    }

    @Test func everyErrorIsReportedNotJustTheFirst() throws {
        try withScratch { s in
            let config = try s.write("bad.yaml", "samples: -5\nreplicates: 0\nmodel: {family: vae}\n")
            let r = try s.run(["validate", config])
            #expect(r.status == 2, "\(r)")
            for field in ["  samples:", "  replicates:", "  model.family:"] {
                #expect(r.stderr.contains(field), "stderr lacks '\(field)': \(r)")
            }
        }
    }

    @Test func missingConfigFileIsExitCode2() throws {
        try withScratch { s in
            let r = try s.run(["run", s.path("nope.yaml"), "--out", s.path("out")])
            #expect(r.status == 2, "\(r)")
            #expect(r.stderr.contains("nope.yaml"), "\(r)")
            #expect(!s.exists("out"))
        }
    }
}

// MARK: - 3, 4. Guarding the output folder

@Suite struct OutputFolderTests {
    @Test func folderOfAnotherConfigIsRefusedAndUntouched() throws {
        try withScratch { s in
            let configA = try s.write("a.yaml", tinyConfig)
            let configB = try s.write("b.yaml", tinyConfig.replacingOccurrences(of: "samples: 20", with: "samples: 25"))
            let out = s.path("out")
            let first = try s.run(["run", configA, "--out", out, "--jobs", "2", "--quiet"])
            try #require(first.status == 0, "\(first)")
            let before = try s.snapshot("out")
            try #require(Set(before.keys) == ["metrics.csv", "summary.csv", "manifest.json"])

            let other = try s.run(["run", configB, "--out", out, "--jobs", "2"])
            #expect(other.status == 3, "\(other)")
            #expect(other.stderr.hasPrefix("error: "), "\(other)")
            #expect(other.stderr.contains("different config"), "\(other)")
            #expect(try s.snapshot("out") == before, "a refused run changed the output folder")

            // An override that changes the config is a different config too.
            let reseeded = try s.run(["run", configA, "--out", out, "--set", "seed=8"])
            #expect(reseeded.status == 3, "\(reseeded)")
            #expect(try s.snapshot("out") == before, "a refused run changed the output folder")

            // The same config again is welcome, and gives the same numbers.
            let again = try s.run(["run", configA, "--out", out, "--jobs", "1", "--quiet"])
            #expect(again.status == 0, "\(again)")
            let after = try s.snapshot("out")
            #expect(after["metrics.csv"] == before["metrics.csv"])
            #expect(after["summary.csv"] == before["summary.csv"])
            #expect(Set(after.keys) == ["metrics.csv", "summary.csv", "manifest.json"], "leftover files: \(after.keys.sorted())")
        }
    }

    @Test func nonEmptyFolderWithoutManifestIsRefusedAndUntouched() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            try s.write("out/notes.txt", "my precious notes\n")
            try s.write("out/sub/data.csv", "a,b\n1,2\n")
            let before = try s.snapshot("out")

            let r = try s.run(["run", config, "--out", s.path("out")])
            #expect(r.status == 3, "\(r)")
            #expect(r.stderr.hasPrefix("error: "), "\(r)")
            #expect(r.stderr.contains("manifest.json"), "\(r)")
            #expect(try s.snapshot("out") == before, "a refused run changed the folder")
            #expect(!s.exists("out/metrics.csv"))
        }
    }

    @Test(arguments: ["not json at all", "{\"tool\": {\"name\": \"collapse\"}}", "[1, 2, 3]"])
    func manifestWithoutConfigHashIsRefused(_ manifest: String) throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            try s.write("out/manifest.json", manifest)
            let before = try s.snapshot("out")
            let r = try s.run(["run", config, "--out", s.path("out")])
            #expect(r.status == 3, "\(r)")
            #expect(try s.snapshot("out") == before)
        }
    }

    @Test func emptyExistingFolderIsUsed() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            try FileManager.default.createDirectory(at: s.url("out"), withIntermediateDirectories: false)
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            #expect(r.status == 0, "\(r)")
            #expect(s.exists("out/manifest.json"))
        }
    }

    @Test func outThatIsAFileIsRefused() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            try s.write("out", "a file\n")
            let r = try s.run(["run", config, "--out", s.path("out")])
            #expect(r.status == 3, "\(r)")
            #expect(try s.text("out") == "a file\n")
        }
    }

    @Test func nestedOutFolderIsCreated() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            let r = try s.run(["run", config, "--out", s.path("deep/er/out"), "--quiet"])
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.isEmpty, "--quiet printed: \(r)")
            #expect(try s.snapshot("deep/er/out").keys.sorted() == ["manifest.json", "metrics.csv", "summary.csv"])
        }
    }
}

// MARK: - 5. validate

@Suite struct ValidateTests {
    /// Leaves rng, estimator, sampling and metrics to their defaults.
    static let sparse = """
    name: sparse
    replicates: 20
    generations: 10
    samples: 20
    policy: { kind: accumulate }

    """

    @Test func printsResolvedConfigWithDefaults() throws {
        try withScratch { s in
            let config = try s.write("sparse.yaml", Self.sparse)
            let r = try s.run(["validate", config])
            #expect(r.status == 0, "\(r)")
            #expect(r.stderr.isEmpty, "\(r)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("rng: ") && $0.contains("mt19937") }, "\(r)")
            #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("estimator: ") && $0.contains("mle") }, "\(r)")
            #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("temperature: ") }, "\(r)")
            #expect(lines.contains { $0.hasPrefix("seed: ") }, "\(r)")
            #expect(lines.contains { $0.hasPrefix("metrics: ") && $0.contains("variance") }, "\(r)")
            #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("kind: ") && $0.contains("accumulate") }, "\(r)")
        }
    }

    @Test func jsonOutputParses() throws {
        try withScratch { s in
            let config = try s.write("sparse.yaml", Self.sparse)
            let r = try s.run(["validate", config, "--json"])
            #expect(r.status == 0, "\(r)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r)")
            let policy = try #require(object["policy"] as? [String: Any])
            #expect(policy["kind"] as? String == "accumulate")
            #expect(object["rng"] as? String == "mt19937")
            #expect((object["model"] as? [String: Any])?["estimator"] as? String == "mle")
            #expect((object["sampling"] as? [String: Any])?["temperature"] as? Double == 1)
            #expect(object["samples"] as? Int == 20)
            #expect(object["seed"] is Int)
            #expect((object["metrics"] as? [String])?.isEmpty == false)
        }
    }

    @Test func overridesAreApplied() throws {
        try withScratch { s in
            let config = try s.write("sparse.yaml", Self.sparse)
            let r = try s.run(["validate", config, "--json", "--set", "samples=30", "--set", "policy.kind=replace",
                               "--set", "rng=xoshiro256starstar"])
            #expect(r.status == 0, "\(r)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r)")
            #expect(object["samples"] as? Int == 30)
            #expect((object["policy"] as? [String: Any])?["kind"] as? String == "replace")
            #expect(object["rng"] as? String == "xoshiro256starstar")
        }
    }

    /// The resolved config is itself a valid config that resolves to the same thing.
    @Test(arguments: [false, true])
    func resolvedConfigRoundTrips(json: Bool) throws {
        try withScratch { s in
            let config = try s.write("mix.yaml", """
            name: mixed
            replicates: 5
            generations: 4
            samples: 10
            real: { distribution: normal, mean: [0, 1], covariance: [[1, 0.5], [0.5, 2]] }
            policy: { kind: mix, real_fraction: { from: 0.5, to: 0.1 }, real_source: fresh }

            """)
            let flag = json ? ["--json"] : []
            let first = try s.run(["validate", config] + flag)
            try #require(first.status == 0, "\(first)")
            let resolved = try s.write(json ? "resolved.json" : "resolved.yaml", first.stdout)
            let second = try s.run(["validate", resolved] + flag)
            #expect(second.status == 0, "\(second)")
            #expect(second.stdout == first.stdout)
        }
    }
}

// MARK: - 6. --set changes the run

@Suite struct OverrideTests {
    @Test func setSamplesReachesTheManifest() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            let plain = try s.run(["run", config, "--out", s.path("plain"), "--quiet"])
            try #require(plain.status == 0, "\(plain)")
            let r = try s.run(["run", config, "--out", s.path("out"), "--set", "samples=30", "--quiet"])
            try #require(r.status == 0, "\(r)")
            let manifest = try s.json("out/manifest.json")
            let resolved = try #require(manifest["config"] as? [String: Any])
            #expect(resolved["samples"] as? Int == 30)
            #expect(resolved["replicates"] as? Int == 20, "other fields kept")
            let plainManifest = try s.json("plain/manifest.json")
            #expect((plainManifest["config"] as? [String: Any])?["samples"] as? Int == 20)
            #expect(manifest["config_hash"] as? String != plainManifest["config_hash"] as? String)
            #expect(try s.data("out/metrics.csv") != s.data("plain/metrics.csv"))
        }
    }

    @Test func setCanBuildANestedSection() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet",
                               "--set", "policy.kind=mix", "--set", "policy.real_fraction=0.25"])
            try #require(r.status == 0, "\(r)")
            let policy = try #require((s.json("out/manifest.json")["config"] as? [String: Any])?["policy"] as? [String: Any])
            #expect(policy["kind"] as? String == "mix")
            #expect(policy["real_fraction"] as? Double == 0.25)
        }
    }
}

// MARK: - 7. File formats

@Suite struct OutputFormatTests {
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
            #expect(summaryLines.first == "cell,generation,metric,mean,sd,ci_low,ci_high,replicates")
            #expect(summaryLines.count - 1 == (generations + 1) * metricNames.count)
            for row in summaryLines.dropFirst() {
                #expect(row.split(separator: ",", omittingEmptySubsequences: false).count == 8, "bad summary row \(row)")
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

@Suite struct DegenerateRunTests {
    /// With n = 2 and the MLE, each refit multiplies the variance by χ²₁/2, so it falls
    /// fast; it reaches exactly 0 (the two draws coincide in floating point) within a
    /// few dozen generations, long before 1500.
    @Test func varianceCollapseIsRecordedNotACrash() throws {
        try withScratch { s in
            let config = try s.write("degenerate.yaml", """
            name: degenerate
            seed: 1
            replicates: 2
            generations: 1500
            samples: 2
            model: { family: gaussian, estimator: mle }
            real: { distribution: normal, mean: 0.0, sd: 1.0 }
            policy: { kind: replace }

            """)
            let r = try s.run(["run", config, "--out", s.path("out"), "--jobs", "2"])
            try #require(r.status == 0, "\(r)")
            #expect(r.stderr.isEmpty, "\(r)")

            let manifest = try s.json("out/manifest.json")
            let cells = try #require(manifest["cells"] as? [[String: Any]])
            let cell = try #require(cells.first)
            let events = try #require(cell["events"] as? [[String: Any]])
            let collapsed = events.filter { $0["event"] as? String == "variance_collapsed" }
            #expect(!collapsed.isEmpty, "no variance_collapsed event: \(events)")
            #expect(cell["status"] as? String == "degenerate")
            #expect(cell["chains_failed"] as? Int == 0)

            // Every chain still ran all 1501 generations, and the variance really is 0
            // from the recorded generation on.
            let rows = csvLines(try s.text("out/metrics.csv")).dropFirst()
            let metricCount = ((manifest["config"] as? [String: Any])?["metrics"] as? [String])?.count ?? 0
            #expect(rows.count == 2 * 1501 * metricCount)
            for event in collapsed {
                let rep = try #require(event["replicate"] as? Int)
                let gen = try #require(event["generation"] as? Int)
                #expect((1...1500).contains(gen))
                var variances: [(Int, Double)] = []
                for row in rows {
                    let f = row.split(separator: ",").map(String.init)
                    guard f.count == 5, f[1] == String(rep), f[3] == "variance", let g = Int(f[2]) else { continue }
                    variances.append((g, Double(f[4]) ?? .nan))
                }
                for (g, v) in variances where g >= gen {
                    #expect(v == 0, "replicate \(rep) generation \(g): variance \(v) after variance_collapsed at \(gen)")
                }
                let before = variances.first { $0.0 == gen - 1 }
                #expect(before.map { $0.1 > 0 } == true, "variance already 0 before the recorded generation")
            }
            #expect(r.stdout.contains("degenerated"), "\(r)")
        }
    }
}
