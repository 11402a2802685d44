import Foundation
import Testing

// `model.family: external` end to end: the real binary drives real Python child
// processes (Tests/CLITests/Generators/, numpy only) over protocol 1.

/// The test generators' folder.
let generatorsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Generators")

/// A config of the MLE Gaussian test generator (`data: vector`, 1-D standard normal, replace).
func externalGaussianConfig(name: String = "ext", replicates: Int, generations: Int, samples: Int,
                            options: String = "{}", timeout: Double = 30, metrics: String = "[variance, ks_complement]") -> String {
    """
    name: \(name)
    seed: 5
    replicates: \(replicates)
    generations: \(generations)
    samples: \(samples)
    model:
      family: external
      command: [python3, \(generatorsFolder.appendingPathComponent("mle_gaussian.py").path)]
      data: vector
      timeout: \(timeout)
      options: \(options)
    real: { distribution: normal }
    policy: { kind: replace }
    metrics: \(metrics)

    """
}

/// Whether process `pid` still exists (a zombie counts as gone: it has exited).
func processAlive(_ pid: Int32) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
    return !status.contains("State:\tZ")
}

@Suite(.serialized) struct ExternalGeneratorTests {
    /// The MLE Gaussian through the protocol under replace: E[σ²_t] = ((n−1)/n)^(t+1)
    /// (the batch's unbiased variance estimates the fitted σ²_t), within 4 SE at every
    /// generation; `--jobs 1` and `--jobs 2` give the same bytes, and so do two runs.
    @Test func mleGaussianMatchesTheClosedFormAndIsReproducible() throws {
        try withScratch { s in
            let n = 10, generations = 5
            let config = try s.write("g.yaml", externalGaussianConfig(replicates: 300, generations: generations, samples: n))
            let two = try s.run(["run", config, "--out", s.path("two"), "--jobs", "2", "--quiet"])
            try #require(two.status == 0, "\(two)")
            let summary = try s.text("two/summary.csv").split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            let header = summary[0]
            let (g, metric, mean, sd, reps) = (header.firstIndex(of: "generation")!, header.firstIndex(of: "metric")!,
                                               header.firstIndex(of: "mean")!, header.firstIndex(of: "sd")!,
                                               header.firstIndex(of: "replicates")!)
            var checked = 0
            for row in summary.dropFirst() where row[metric] == "variance" {
                let t = Int(row[g])!
                let expected = pow(Double(n - 1) / Double(n), Double(t + 1))
                let se = Double(row[sd])! / Double(row[reps])!.squareRoot()
                #expect(abs(Double(row[mean])! - expected) <= 4 * se,
                        "generation \(t): mean variance \(row[mean]), expected \(expected) ± 4 × \(se)")
                checked += 1
            }
            #expect(checked == generations + 1)
            let manifest = try s.json("two/manifest.json")
            let generators = try #require(manifest["generators"] as? [[String: Any]])
            #expect(generators.first?["name"] as? String == "mle-gaussian")
            #expect(generators.first?["version"] as? String == "1.0")

            let one = try s.run(["run", config, "--out", s.path("one"), "--jobs", "1", "--quiet"])
            try #require(one.status == 0, "\(one)")
            #expect(try s.results("one") == s.results("two"), "--jobs 1 and --jobs 2 differ")
            let again = try s.run(["run", config, "--out", s.path("again"), "--jobs", "2", "--quiet"])
            try #require(again.status == 0, "\(again)")
            #expect(try s.results("again") == s.results("two"), "two runs with the same seed differ")
        }
    }

    /// Each fault, in replicate 1 at generation 3 only: that chain fails with
    /// `generator_failed` and the right message (with the program's stderr tail in the
    /// manifest), the run exits 5 with a one-line summary, and the other chains have
    /// all their generations.
    @Test(arguments: [
        ("crash", "crash: the program exited with status 3"),
        ("hang", "timeout: no reply to fit_sample"),
        ("garbage", "malformed reply: the reply to fit_sample"),
        ("short", "invalid output: fit_sample (chain"),
        ("nan", "invalid output: fit_sample (chain"),
        ("error", "error reply: fit_sample"),
    ])
    func faultFailsOnlyItsChain(fault: String, message: String) throws {
        try withScratch { s in
            let config = try s.write("f.yaml", externalGaussianConfig(
                replicates: 3, generations: 5, samples: 20, options: "{fault: \(fault), at: 3, replicate: 1}", timeout: 4))
            let run = try s.run(["run", config, "--out", s.path("out"), "--jobs", "2"])
            #expect(run.status == 5, "\(run)")
            #expect(run.stderr.contains("generator_failed (\(message.split(separator: ":")[0])): 1 chain stopped"), "\(run)")
            let events = try s.text("out/events.csv").split(separator: "\n").dropFirst().map(String.init)
            #expect(events.count == 1 && events[0].hasSuffix(",1,3,generator_failed"), "\(events)")
            let manifest = try s.json("out/manifest.json")
            let cells = try #require(manifest["cells"] as? [[String: Any]])
            let event = try #require((cells[0]["events"] as? [[String: Any]])?.first)
            let text = try #require(event["message"] as? String)
            #expect(text.contains(message), "\(text)")
            if fault == "short" { #expect(text.contains("19 rows; 20 were asked for"), "\(text)") }
            if fault == "nan" { #expect(text.contains("column x1: NaN is not a finite number"), "\(text)") }
            #expect(text.contains("fault \(fault) at generation 3"), "no stderr tail in \(text)")
            #expect(cells[0]["chains_failed"] as? Int == 1)
            // Rows per replicate: 6 generations × 2 metrics, except replicate 1's 3.
            let rows = try s.text("out/metrics.csv").split(separator: "\n").dropFirst()
            let replicates = rows.map { $0.split(separator: ",")[1] }
            #expect(replicates.filter { $0 == "0" }.count == 12)
            #expect(replicates.filter { $0 == "1" }.count == 6)
            #expect(replicates.filter { $0 == "2" }.count == 12)
        }
    }

    /// A program that fails `hello` stops the run before any chain, with its stderr.
    @Test func helloFailureStopsBeforeAnyChain() throws {
        try withScratch { s in
            for fault in ["hello_fail", "hello_garbage"] {
                let config = try s.write("h.yaml", externalGaussianConfig(replicates: 2, generations: 2, samples: 10,
                                                                          options: "{fault: \(fault)}"))
                let run = try s.run(["run", config, "--out", s.path("out-\(fault)")])
                #expect(run.status == 5, "\(run)")
                #expect(run.stderr.contains("failed hello"), "\(run)")
                #expect(run.stderr.contains(fault == "hello_fail" ? "cannot load the model weights" : "about to print garbage"), "\(run)")
                #expect(!s.exists("out-\(fault)"), "an output folder was made")
            }
            let missing = try s.write("m.yaml", externalGaussianConfig(replicates: 2, generations: 2, samples: 10)
                .replacingOccurrences(of: "command: [python3,", with: "command: [no-such-program-xyz,"))
            let run = try s.run(["run", missing, "--out", s.path("out-missing")])
            #expect(run.status == 5, "\(run)")
            #expect(run.stderr.contains("start failed: cannot start no-such-program-xyz"), "\(run)")
        }
    }

    /// SIGTERM during a run: collapse exits 130 and none of the generator processes it
    /// started (each appends its pid to a file) outlives it. The file's path is relative:
    /// the programs run in the config's folder (collapse itself runs elsewhere).
    @Test func sigtermLeavesNoChildProcess() throws {
        try withScratch { s in
            let pids = s.path("configs/pids.txt")
            let config = try s.write("configs/slow.yaml", externalGaussianConfig(
                replicates: 20, generations: 10, samples: 10, options: "{sleep: 0.3, pidfile: pids.txt}"))
            let run = try BackgroundRun(["run", config, "--out", s.path("out"), "--jobs", "2"], in: s)
            let started = run.waitUntil(seconds: 30) {
                ((try? String(contentsOfFile: pids, encoding: .utf8)) ?? "").split(separator: "\n").count >= 2
            }
            try #require(started, "the generators never started: \(run.stderrSoFar)")
            Thread.sleep(forTimeInterval: 0.5)
            run.send(SIGTERM)
            let done = try run.finish(seconds: 30)
            #expect(done.status == 130, "\(done)")
            let children = try String(contentsOfFile: pids, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
            #expect(children.count >= 2)
            let deadline = Date().addingTimeInterval(2)
            while children.contains(where: processAlive), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            #expect(!children.contains(where: processAlive), "generator processes outlived collapse: \(children.filter(processAlive))")
        }
    }

    /// SIGKILL of collapse mid-run, then the same command: the results equal an
    /// uninterrupted run's byte for byte (the journal resumes the finished chains).
    @Test func sigkillThenRerunGivesTheUninterruptedBytes() throws {
        try withScratch { s in
            let config = try s.write("k.yaml", externalGaussianConfig(
                replicates: 12, generations: 8, samples: 10, options: "{sleep: 0.02}"))
            let reference = try s.run(["run", config, "--out", s.path("ref"), "--jobs", "1", "--quiet"])
            try #require(reference.status == 0, "\(reference)")
            let command = ["run", config, "--out", s.path("out"), "--jobs", "2", "--quiet"]
            let (killed, reached) = try s.interrupt(command, folder: "out", with: SIGKILL, afterBytes: 0)
            try #require(reached && killed.signal == SIGKILL, "not killed mid-run: \(killed)")
            let resumed = try s.run(command)
            try #require(resumed.status == 0, "\(resumed)")
            #expect(try s.results("out") == s.results("ref"))
        }
    }

    /// `data: table`: a bootstrap generator on a file of numeric and categorical
    /// columns gets the table metrics; a label the training file lacks is invalid output.
    @Test func tableDataRoundTripsAndChecksCategories() throws {
        try withScratch { s in
            var csv = "age,height,colour\n"
            for i in 0..<60 { csv += "\(20 + i % 37),\(150.5 + Double(i % 11) * 2.25),\(["red", "green", "\"blue, dark\""][i % 3])\n" }
            try s.write("people.csv", csv)
            func config(_ options: String) -> String {
                """
                name: table
                seed: 2
                replicates: 3
                generations: 3
                samples: 20
                heldout: 20
                model:
                  family: external
                  command: [python3, \(generatorsFolder.appendingPathComponent("bootstrap.py").path)]
                  data: table
                  options: \(options)
                real: { distribution: table, file: people.csv }
                policy: { kind: replace }

                """
            }
            let ok = try s.write("t.yaml", config("{}"))
            let run = try s.run(["run", ok, "--out", s.path("out"), "--jobs", "2"])
            try #require(run.status == 0, "\(run)")
            let metrics = Set(try s.text("out/summary.csv").split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[2]) })
            #expect(metrics.isSuperset(of: ["ks_complement", "tv_complement", "correlation_similarity", "variance_ratio"]), "\(metrics)")
            let bad = try s.write("b.yaml", config("{fault: new_category}"))
            let failed = try s.run(["run", bad, "--out", s.path("bad"), "--jobs", "2"])
            #expect(failed.status == 5, "\(failed)")
            #expect(failed.stderr.contains("'never-seen' is not a category of the training file"), "\(failed)")
        }
    }

    /// Config errors name the field, the value and what is allowed.
    @Test func badExternalConfigsAreRefused() throws {
        try withScratch { s in
            let base = externalGaussianConfig(replicates: 2, generations: 2, samples: 10)
            let cases: [(String, String)] = [
                (base.replacingOccurrences(of: "data: vector", with: "data: table"),
                 "model.data: got 'table' with real.distribution normal; allowed: data: table needs real.distribution: table"),
                (base.replacingOccurrences(of: "data: vector", with: "data: text"), "model.data: got 'text'"),
                (base.replacingOccurrences(of: "data: vector", with: "data: image"), "model.data: got 'image'; allowed: one of table, vector, text"),
                (base.replacingOccurrences(of: "timeout: 30.0", with: "timeout: 0"), "model.timeout: got 0; allowed: a number of seconds > 0"),
                (base.replacingOccurrences(of: "options: {}", with: "options: [1, 2]"), "model.options: got"),
                (base.replacingOccurrences(of: #"command: [python3, \#(generatorsFolder.path)/mle_gaussian.py]"#, with: "command: [./missing.py]"),
                 "model.command: got ['./missing.py', …]"),
                (base.replacingOccurrences(of: #"command: [python3, \#(generatorsFolder.path)/mle_gaussian.py]"#, with: "command: []"),
                 "model.command: got"),
            ]
            for (i, (text, expected)) in cases.enumerated() {
                let path = try s.write("bad\(i).yaml", text)
                let run = try s.run(["run", path, "--out", s.path("out\(i)")])
                #expect(run.status == 2, "\(run)")
                #expect(run.stderr.contains(expected), "case \(i): \(run)")
            }
        }
    }
}

/// The worked example: the numpy VAE on the digits (`experiments/digits-vae-replace.yaml`)
/// at a small size, when `make data` has fetched data/digits.csv. Replicate 0's first
/// generations reproduce the committed results' rows byte for byte (a chain's stream
/// depends on the seed, cell and replicate only).
@Suite struct DigitsVAETests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(.enabled(if: FileManager.default.fileExists(atPath: root.appendingPathComponent("data/digits.csv").path),
                   "needs data/digits.csv: run make data"))
    func vaeOnDigitsRunsAndReproducesTheCommittedRows() throws {
        try withScratch { s in
            let config = Self.root.appendingPathComponent("experiments/digits-vae-replace.yaml").path
            let run = try s.run(["run", config, "--out", s.path("out"), "--quiet", "--set", "replicates=1",
                                 "--set", "generations=2", "--set", "output.snapshots=[0, 2]"])
            try #require(run.status == 0, "\(run)")
            let rows = try s.text("out/metrics.csv").split(separator: "\n").dropFirst()
            #expect(rows.count == 3 * 5, "\(rows)")
            let committed = Set(try String(contentsOf: Self.root.appendingPathComponent("results/digits-vae-replace/metrics.csv"),
                                           encoding: .utf8).split(separator: "\n"))
            for row in rows { #expect(committed.contains(row), "not in the committed results: \(row)") }
            let coverage = rows.filter { $0.contains(",label_coverage,") }.map { Double($0.split(separator: ",").last!)! }
            #expect(coverage.count == 3 && coverage[0] >= 0.8, "\(coverage)")
            let samples = try s.text("out/samples.csv").split(separator: "\n")
            #expect(samples.count > 1000, "snapshots of 2 × 500 images of 64 pixels")
        }
    }
}
