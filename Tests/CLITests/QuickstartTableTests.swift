import Foundation
import Testing

/// The table `collapse run` prints after the built-in quickstart: its columns are the
/// metrics asked for, and every number in it is the one summary.csv (or theory) holds.
@Suite struct QuickstartTableTests {
    /// The table's lines (header first) from the run's stdout: from the line starting
    /// with "generation" to the next blank line.
    func table(_ stdout: String) throws -> [[String]] {
        let lines = stdout.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("generation") },
                                 "no table in\n\(stdout)")
        let end = lines[start...].firstIndex { $0.isEmpty } ?? lines.count
        return lines[start..<end].map { $0.split(separator: " ").map(String.init) }
    }

    /// summary.csv's mean of `metric` at generation `g`, as the table prints it.
    func summaryMean(_ s: Scratch, _ folder: String, _ metric: String, _ g: Int) throws -> String {
        let rows = csvLines(try s.text("\(folder)/summary.csv")).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let row = try #require(rows.first { $0[1] == "\(g)" && $0[2] == metric }, "no \(metric) at \(g)")
        return String(format: "%.4f", try #require(Double(row[3])))
    }

    @Test func onlyKSRequestedPrintsItsRows() throws {
        try withScratch { s in
            let r = try s.run(["run", "--set", "metrics=[ks]", "--set", "replicates=8", "--set", "generations=20",
                               "--out", s.path("out")])
            try #require(r.status == 0, "\(r)")
            let t = try table(r.stdout)
            #expect(t[0] == ["generation", "ks", "mean", "[95%", "CI]"], "\(t[0])")
            // Every second generation of 0…20, each with ks's mean from summary.csv.
            #expect(t.dropFirst().map { $0[0] } == (0...10).map { String(2 * $0) }, "\(r.stdout)")
            for row in t.dropFirst() {
                try #require(row.count == 4, "\(row)")
                #expect(row[1] == (try summaryMean(s, "out", "ks", Int(row[0])!)), "\(row)")
            }
        }
    }

    @Test func requestedMetricsEachGetColumnsAndTheirTheory() throws {
        try withScratch { s in
            let r = try s.run(["run", "--set", "metrics=[ks, variance]", "--set", "replicates=8", "--set", "generations=10",
                               "--out", s.path("out")])
            try #require(r.status == 0, "\(r)")
            let t = try table(r.stdout)
            #expect(t[0] == ["generation", "ks", "mean", "[95%", "CI]", "variance", "mean", "[95%", "CI]", "theory", "E[variance]"],
                    "\(t[0])")
            #expect(t.count == 12)
            for row in t.dropFirst() {
                try #require(row.count == 8, "\(row)")
                let g = Int(row[0])!
                #expect(row[1] == (try summaryMean(s, "out", "ks", g)))
                #expect(row[4] == (try summaryMean(s, "out", "variance", g)))
                // E[σ²_t] = ((n−1)/n)^(t+1), n = 100 (Shumailov et al. 2024).
                #expect(row[7] == String(format: "%.4f", pow(0.99, Double(g + 1))), "\(row)")
            }
        }
    }

    @Test func defaultMetricsShowVarianceAndTailMass() throws {
        try withScratch { s in
            let r = try s.run(["run", "--set", "replicates=8", "--set", "generations=10", "--out", s.path("out")])
            try #require(r.status == 0, "\(r)")
            let t = try table(r.stdout)
            #expect(t[0] == ["generation", "variance", "mean", "[95%", "CI]", "theory", "E[variance]",
                             "tail_mass_ratio", "median", "mean"], "\(t[0])")
            #expect(t.count == 12)
            for row in t.dropFirst() {
                // generation, mean, [low, high], theory, median, mean
                try #require(row.count == 7, "\(row)")
                #expect(row[1] == (try summaryMean(s, "out", "variance", Int(row[0])!)), "\(row)")
                #expect(row[6] == (try summaryMean(s, "out", "tail_mass_ratio", Int(row[0])!)), "\(row)")
            }
        }
    }
}
