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
