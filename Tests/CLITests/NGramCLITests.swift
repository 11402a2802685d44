import Foundation
import Testing

extension BadFile {
    /// The n-gram family's bad corpora and keys (run by FileInputTests' bad-file test).
    static let ngram: [BadFile] = [
        BadFile("ngram: an order above 5", "the cat\nthe dog\n", real: text, family: "ngram, order: 6",
                expected: ["model.order: got 6", "allowed: an integer in 1 … 5"]),
        BadFile("ngram: an empty corpus", "\n \n\n", real: text, family: "ngram",
                expected: ["real.file", "holds no non-blank line"]),
        BadFile("ngram: a document with no tokens", "the cat\n\nthe dog\n", real: text, family: "ngram",
                expected: ["real.file: got", "with 1 document without tokens (a blank line, first on line 2)",
                           "allowed: every document with at least one token for model.family ngram"]),
        BadFile("ngram: a table file", "x,y\n1,2\n3,4\n", family: "ngram",
                expected: ["real.distribution: got 'table' with model.family ngram", "allowed: one of text"]),
        BadFile("ngram: more documents than the corpus holds", "a b\nc d\ne\n", real: text, family: "ngram",
                expected: ["samples: got a config that needs 1003 documents per chain (samples 3 + heldout 1000)",
                           "at most the 3 documents"]),
    ]
    static let text = "{ distribution: text, file: data.csv }"
}

extension BadInput {
    /// ngram with a parametric real distribution (the default normal).
    static let ngram: [BadInput] = [
        BadInput(label: "ngram with a normal real distribution", config: "model: {family: ngram}\n",
                 expected: ["real.distribution", "'normal' with model.family ngram", "one of text"]),
    ]
}

/// The n-gram family through the binary: byte-identical results for any number of
/// workers, and the committed fortunes results reproduced on their first chains.
@Suite struct NGramCLITests {
    static let corpus = (0..<200).map { ["the cat sat", "a dog ran off", "the dog sat on a cat", "my bird sang"][$0 % 4] }
        .joined(separator: "\n") + "\n"

    @Test func ngramRunsAreIdenticalForAnyJobCount() throws {
        try withScratch { s in
            try s.write("corpus.txt", Self.corpus)
            let config = try s.write("ngram.yaml", """
                seed: 3
                replicates: 4
                generations: 3
                samples: 40
                heldout: 30
                model: { family: ngram, order: 3 }
                real: { distribution: text, file: corpus.txt }
                sampling: { top_k: 3 }
                """)
            var files: [Data] = []
            for jobs in [1, 2] {
                let r = try s.run(["run", config, "--out", s.path("out\(jobs)"), "--jobs", String(jobs), "--quiet"])
                try #require(r.status == 0, "\(r)")
                files.append(try s.data("out\(jobs)/metrics.csv") + s.data("out\(jobs)/summary.csv"))
            }
            #expect(files[0] == files[1], "metrics.csv or summary.csv differs between --jobs 1 and --jobs 2")
            #expect(files[0].count > 1000)
        }
    }

    /// The likelihood attack on documents: a bigram model without smoothing gives a
    /// non-member document probability 0 as soon as one of its bigrams was not in R₀, so
    /// on documents of 6 random words from 60 it separates members from held-out
    /// documents almost perfectly at generation 0 (`mia_auc` > 0.95; a non-member scores
    /// above −∞ only when all 7 of its bigrams, the boundaries included, happen to be in
    /// R₀); the distance attack is refused for documents.
    @Test func likelihoodAttackOnDocuments() throws {
        try withScratch { s in
            var state: UInt64 = 7
            func word() -> String {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return "w\((state >> 33) % 60)"
            }
            let corpus = (0..<600).map { _ in (0..<6).map { _ in word() }.joined(separator: " ") }.joined(separator: "\n") + "\n"
            try s.write("corpus.txt", corpus)
            let text = """
                seed: 3
                replicates: 4
                generations: 2
                samples: 200
                heldout: 200
                model: { family: ngram, order: 2, smoothing: none }
                real: { distribution: text, file: corpus.txt }
                privacy: { attack: likelihood }
                metrics: [mia_auc, mia_advantage]

                """
            let r = try s.run(["run", try s.write("m.yaml", text), "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            let auc = try summaryTable(s, "out").first { $0.key.hasSuffix("/0/mia_auc") }!.value
            #expect(auc.mean > 0.95 && auc.k == 4, "mia_auc at t = 0: \(auc.mean)")
            let bad = try s.run(["run", try s.write("d.yaml", text.replacingOccurrences(of: "attack: likelihood", with: "attack: distance")),
                                 "--out", s.path("bad"), "--quiet"])
            #expect(bad.status == 2 && bad.stderr.contains("privacy.attack: got 'distance' with model.family ngram; allowed: likelihood"),
                    "\(bad.stderr)")
        }
    }

    /// The committed fortunes trigram results: a run of their first 2 replicates and 3
    /// generations (a chain's streams depend on the seed, the cell and the replicate only)
    /// gives exactly those rows of the committed metrics.csv.
    @Test(.enabled(if: FileManager.default.fileExists(
              atPath: ResultsReproduceTests.root.appendingPathComponent("data/fortunes.txt").path),
          "needs data/fortunes.txt: run make data"),
          arguments: ["fortunes-trigram-replace", "fortunes-trigram-accumulate", "fortunes-trigram-topk"])
    func committedTrigramResultsReproduceTheirFirstChains(_ name: String) throws {
        let root = ResultsReproduceTests.root
        try withScratch { s in
            let r = try s.run(["run", root.appendingPathComponent("experiments/\(name).yaml").path, "--out", "out",
                               "--set", "replicates=2", "--set", "generations=2", "--quiet"])
            try #require(r.status == 0, "\(r)")
            let committed = String(decoding: try Data(contentsOf: root.appendingPathComponent("results/\(name)/metrics.csv")),
                                   as: UTF8.self).split(separator: "\n")
            let expected = [committed[0]] + committed.dropFirst().filter { line in
                let cells = line.split(separator: ",")
                return Int(cells[1])! < 2 && Int(cells[2])! <= 2
            }
            let produced = try s.text("out/metrics.csv").split(separator: "\n")
            #expect(produced.count == 1 + 2 * 3 * 6)
            #expect(produced == expected, "\(name): the first chains differ from the committed metrics.csv")
        }
    }
}
