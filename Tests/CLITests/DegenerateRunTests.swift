import Foundation
import Testing

// End-to-end tests of the built `collapse` binary (see CLIHarness.swift): each runs the
// real executable in a fresh temporary folder and checks its exit status, messages and
// output files.

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
