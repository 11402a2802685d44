import Foundation
import Testing

/// The committed results are what the code produces: a few fast reference experiments
/// (every policy kind, and the points path with a held-out sample) run again into a scratch folder give
/// byte-identical metrics.csv, summary.csv and cells.csv. `scripts/check-results.sh`
/// checks every experiment the same way (release build).
struct ResultsReproduceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(arguments: ["gaussian-replace", "gaussian-mix", "categorical-zipf-accumulate", "regression-replace",
                      "kde-kazdan-accumulate-subsample"])
    func committedResultsReproduce(_ name: String) throws {
        try reproduce(name)
    }

    /// A file-backed experiment, when `make data` has fetched its dataset (CI runs it).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: root.appendingPathComponent("data/compas.csv").path),
                   "needs data/compas.csv: run make data"))
    func committedFileResultsReproduce() throws {
        try reproduce("compas-categorical")
    }

    /// The copula on Adult (a mixed table with a held-out sample), when `make data` has run.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: root.appendingPathComponent("data/adult.csv").path),
                   "needs data/adult.csv: run make data"))
    func committedTableResultsReproduce() throws {
        try reproduce("adult-copula-replace")
    }

    func reproduce(_ name: String) throws {
        try withScratch { s in
            let run = try s.run(["run", Self.root.appendingPathComponent("experiments/\(name).yaml").path,
                                 "--out", "out", "--quiet"])
            #expect(run.status == 0, "\(run)")
            for file in ["metrics.csv", "summary.csv", "cells.csv", "events.csv"] {
                let committed = try Data(contentsOf: Self.root.appendingPathComponent("results/\(name)/\(file)"))
                #expect(try s.data("out/\(file)") == committed, "\(name)/\(file) differs from the committed results")
            }
        }
    }
}
