import Foundation
import Testing

// `model.family: external` with `data: text`, and the runs around a generator's
// failures: shards and merges report them like a whole run, the merged manifest names
// the programs, `timeout` is not part of config_hash, and a SIGKILLed run's temporary
// folder is cleaned up by the next run.

/// A corpus of 60 documents whose word tokens are known: document i holds 1 + i % 7
/// tokens (words, an apostrophe word and punctuation, separated by spaces).
let knownLengthCorpus: (text: String, meanLength: Double) = {
    let words = ["the", "cat", "don't", "sat", ".", ",", "Mat", "on", "!", "dog's"]
    var lines: [String] = [], total = 0
    for i in 0..<60 {
        let k = 1 + i % 7
        lines.append((0..<k).map { words[(i * 3 + $0 * 7) % words.count] }.joined(separator: " "))
        total += k
    }
    return (lines.joined(separator: "\n") + "\n", Double(total) / 60)
}()

func externalTextConfig(tokens: String = "word", replicates: Int, generations: Int, options: String = "{}",
                        metrics: String = "[mean_length, vocabulary_retained, distinct_2, unigram_tv, zipf_exponent]") -> String {
    """
    name: text
    seed: 4
    replicates: \(replicates)
    generations: \(generations)
    samples: 10
    heldout: 10
    model:
      family: external
      command: [python3, \(generatorsFolder.appendingPathComponent("bootstrap.py").path)]
      data: text
      options: \(options)
    real: { distribution: text, file: corpus.txt, unit: line, tokens: \(tokens) }
    policy: { kind: replace }
    metrics: \(metrics)

    """
}

@Suite(.serialized) struct ExternalTextTests {
    /// Resampling documents with replacement keeps E[mean length] at the corpus's mean
    /// document length at every generation (R₀ is drawn without replacement from the
    /// corpus, and a bootstrap batch's mean length is unbiased for its training set's):
    /// within 4 SE. A chain's `vocabulary_retained` never rises under replace (a lost
    /// type cannot come back). Every output passed the token check, so the training
    /// file's tokens round-trip through the corpus's tokenizer. `--jobs 1` = `--jobs 2`.
    @Test func bootstrapDocumentsKeepTheMeanLengthAndAreReproducible() throws {
        try withScratch { s in
            try s.write("corpus.txt", knownLengthCorpus.text)
            let generations = 4
            let config = try s.write("t.yaml", externalTextConfig(replicates: 150, generations: generations))
            let two = try s.run(["run", config, "--out", s.path("two"), "--jobs", "2", "--quiet"])
            try #require(two.status == 0, "\(two)")
            let rows = try s.text("two/summary.csv").split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            let h = rows[0]
            let (g, metric, mean, sd, reps) = (h.firstIndex(of: "generation")!, h.firstIndex(of: "metric")!,
                                               h.firstIndex(of: "mean")!, h.firstIndex(of: "sd")!, h.firstIndex(of: "replicates")!)
            var checked = 0
            for row in rows.dropFirst() where row[metric] == "mean_length" {
                let se = Double(row[sd])! / Double(row[reps])!.squareRoot()
                #expect(abs(Double(row[mean])! - knownLengthCorpus.meanLength) <= 4 * se,
                        "generation \(row[g]): mean length \(row[mean]), expected \(knownLengthCorpus.meanLength) ± 4 × \(se)")
                checked += 1
            }
            #expect(checked == generations + 1)
            // metrics.csv: cell, replicate, generation, metric, value.
            var retained: [String: [Double]] = [:]
            for line in try s.text("two/metrics.csv").split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",").map(String.init)
                if f[3] == "vocabulary_retained" { retained[f[1], default: []].append(Double(f[4])!) }
            }
            #expect(retained.count == 150)
            for (replicate, values) in retained {
                #expect(values.count == generations + 1 && zip(values, values.dropFirst()).allSatisfy { $0 >= $1 },
                        "replicate \(replicate): vocabulary_retained rose: \(values)")
            }
            let manifest = try s.json("two/manifest.json")
            #expect((manifest["generators"] as? [[String: Any]])?.first?["name"] as? String == "bootstrap")
            let one = try s.run(["run", config, "--out", s.path("one"), "--jobs", "1", "--quiet"])
            try #require(one.status == 0, "\(one)")
            #expect(try s.results("one") == s.results("two"), "--jobs 1 and --jobs 2 differ")
        }
    }

    /// Character tokens round-trip too (spaces are tokens; documents are written
    /// unseparated); a token the training file lacks is invalid output, exit 5.
    @Test func characterTokensRoundTripAndUnknownTokensFail() throws {
        try withScratch { s in
            try s.write("corpus.txt", knownLengthCorpus.text)
            let chars = try s.write("c.yaml", externalTextConfig(tokens: "character", replicates: 3, generations: 3))
            let run = try s.run(["run", chars, "--out", s.path("chars"), "--jobs", "2", "--quiet"])
            #expect(run.status == 0, "\(run)")
            let bad = try s.write("b.yaml", externalTextConfig(replicates: 2, generations: 2, options: "{fault: new_token}"))
            let failed = try s.run(["run", bad, "--out", s.path("bad"), "--jobs", "2"])
            #expect(failed.status == 5, "\(failed)")
            #expect(failed.stderr.contains("generator_failed (invalid output): 2 chains stopped"), "\(failed)")
            #expect(failed.stderr.contains("the token 'zyzzyva' does not occur in the training file"), "\(failed)")
        }
    }

    /// An external generator has no density: perplexity is refused by name; `data: text`
    /// needs `real.distribution: text` and the other kinds refuse a text corpus.
    @Test func textConfigErrorsNameTheRule() throws {
        try withScratch { s in
            try s.write("corpus.txt", knownLengthCorpus.text)
            let cases: [(String, String)] = [
                (externalTextConfig(replicates: 2, generations: 2, metrics: "[perplexity_heldout]"),
                 "an external generator has no density"),
                (externalTextConfig(replicates: 2, generations: 2).replacingOccurrences(of: "data: text", with: "data: table"),
                 "model.data: got 'table' with real.distribution text"),
                (externalGaussianConfig(replicates: 2, generations: 2, samples: 10).replacingOccurrences(of: "data: vector", with: "data: text"),
                 "model.data: got 'text' with real.distribution normal; allowed: data: table needs real.distribution: table; data: vector needs normal, student_t, mixture (columns x1…xd); data: text needs real.distribution: text"),
            ]
            for (i, (text, expected)) in cases.enumerated() {
                let run = try s.run(["run", try s.write("bad\(i).yaml", text), "--out", s.path("out\(i)")])
                #expect(run.status == 2, "case \(i): \(run)")
                #expect(run.stderr.contains(expected), "case \(i): \(run)")
            }
        }
    }

    /// A crash in replicate 1 (shard 2 of 2): that shard prints the failure line and
    /// exits 5, shard 1 exits 0, and the merge prints the line, exits 5, writes the
    /// merged folder (equal to a single run's) and names the program in its manifest.
    @Test func shardsAndMergeReportGeneratorFailures() throws {
        try withScratch { s in
            let config = try s.write("f.yaml", externalGaussianConfig(
                replicates: 4, generations: 4, samples: 20, options: "{fault: crash, at: 3, replicate: 1}", timeout: 10))
            let whole = try s.run(["run", config, "--out", s.path("whole"), "--jobs", "2"])
            #expect(whole.status == 5, "\(whole)")
            let line = "generator_failed (crash): 1 chain stopped"
            let first = try s.run(["run", config, "--shard", "1/2", "--out", s.path("s1"), "--jobs", "2"])
            #expect(first.status == 0 && !first.stderr.contains("generator_failed"), "\(first)")
            let second = try s.run(["run", config, "--shard", "2/2", "--out", s.path("s2"), "--jobs", "2"])
            #expect(second.status == 5 && second.stderr.contains(line), "\(second)")
            let merge = try s.run(["merge", s.path("s1"), s.path("s2"), "--out", s.path("merged")])
            #expect(merge.status == 5 && merge.stderr.contains(line), "\(merge)")
            #expect(try s.results("merged") == s.results("whole"))
            let generators = try #require(try s.json("merged/manifest.json")["generators"] as? [[String: Any]])
            #expect(generators.first?["name"] as? String == "mle-gaussian" && generators.first?["version"] as? String == "1.0",
                    "\(generators)")
        }
    }

    /// `timeout` is not part of config_hash: a finished folder is resumed (nothing to
    /// redo) with another timeout instead of refused.
    @Test func timeoutIsNotPartOfTheHash() throws {
        try withScratch { s in
            let short = try s.write("a.yaml", externalGaussianConfig(replicates: 2, generations: 2, samples: 10, timeout: 30))
            let long = try s.write("b.yaml", externalGaussianConfig(replicates: 2, generations: 2, samples: 10, timeout: 90))
            let run = try s.run(["run", short, "--out", s.path("out"), "--quiet"])
            try #require(run.status == 0, "\(run)")
            let again = try s.run(["run", long, "--out", s.path("out")])
            #expect(again.status == 0 && again.stderr.contains("2 of 2 chains already done"), "\(again)")
        }
    }

    /// The temporary folder a SIGKILLed run left (its pid names no live process) is
    /// removed by the next run with an external generator; a live process's stays.
    @Test func abandonedTemporaryFoldersAreRemoved() throws {
        try withScratch { s in
            let dead = Process()
            dead.executableURL = URL(fileURLWithPath: "/bin/true")
            try dead.run()
            dead.waitUntilExit()
            let tmp = NSTemporaryDirectory()
            let abandoned = "\(tmp)/collapse-external-\(dead.processIdentifier)-test01"
            let live = "\(tmp)/collapse-external-\(getpid())-test02"
            for folder in [abandoned, live] {
                try FileManager.default.createDirectory(atPath: folder + "/p0-0", withIntermediateDirectories: true)
            }
            defer { try? FileManager.default.removeItem(atPath: live) }
            let config = try s.write("g.yaml", externalGaussianConfig(replicates: 1, generations: 1, samples: 10))
            let run = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            #expect(run.status == 0, "\(run)")
            #expect(!FileManager.default.fileExists(atPath: abandoned), "the abandoned folder is still there")
            #expect(FileManager.default.fileExists(atPath: live), "a live process's folder was removed")
        }
    }
}
