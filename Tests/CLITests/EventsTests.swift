import Foundation
import FoundationXML
import Testing

/// `output.collapse` and `events.csv` through the binary: the recorded collapse times
/// agree with metrics.csv, events.csv agrees with the manifest, and the report draws
/// the survival curve.
@Suite struct EventsTests {
    static let config = """
        name: collapse-times
        seed: 3
        replicates: 24
        generations: 40
        samples: 6
        model: { family: gaussian, estimator: mle }
        policy: { kind: replace }
        metrics: [variance, variance_ratio]
        output: { collapse: { metric: variance_ratio, below: 0.05 } }
        sweep: { samples: [6, 30] }
        """

    @Test func thresholdCrossingsMatchMetricsAndTheManifest() throws {
        try withScratch { s in
            let config = try s.write("c.yaml", Self.config)
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")

            // metrics.csv: the first generation each chain's variance_ratio is below 0.05.
            var firstBelow: [String: Int] = [:]
            for line in csvLines(try s.text("out/metrics.csv")).dropFirst() {
                let f = line.split(separator: ",")
                guard f[3] == "variance_ratio", Double(f[4])! < 0.05 else { continue }
                let key = "\(f[0]),\(f[1])", g = Int(f[2])!
                firstBelow[key] = min(firstBelow[key] ?? g, g)
            }
            let lines = csvLines(try s.text("out/events.csv"))
            #expect(lines.first == "cell,replicate,generation,event")
            var crossed: [String: Int] = [:]
            for line in lines.dropFirst() {
                let f = line.split(separator: ",")
                if f[3] == "threshold_crossed" { crossed["\(f[0]),\(f[1])"] = Int(f[2])! }
            }
            #expect(!crossed.isEmpty && crossed == firstBelow)

            // The manifest lists the same events; a crossing alone leaves a chain ok.
            let manifest = try s.json("out/manifest.json")
            let cells = try #require(manifest["cells"] as? [[String: Any]])
            var fromManifest: [String] = []
            for cell in cells {
                for e in cell["events"] as! [[String: Any]] {
                    fromManifest.append("\(cell["cell"]!),\(e["replicate"]!),\(e["generation"]!),\(e["event"]!)")
                }
                let degenerate = (cell["events"] as! [[String: Any]]).filter { ($0["event"] as! String) != "threshold_crossed" }
                    .map { "\($0["replicate"]!)" }
                #expect(cell["chains_ok"] as? Int == 24 - Set(degenerate).count)
            }
            #expect(fromManifest.sorted() == lines.dropFirst().map(String.init).sorted())
            #expect((manifest["files"] as? [String])?.contains("events.csv") == true)

            // The survival curve: one step line per cell, ending at 1 − crossed/24.
            try #require(try s.run(["report", s.path("out")]).status == 0)
            let svg = try XMLDocument(data: try s.data("out/report/survival-threshold_crossed.svg"))
            #expect(try svg.nodes(forXPath: "//*[local-name()='polyline'][@class='series']").count == 2)
            let html = try s.text("out/report/index.html")
            #expect(html.contains("Share of chains whose variance_ratio below 0.05 has not been reached by generation"), "\(html)")
        }
    }

    @Test(arguments: [
        ("output: { collapse: { metric: variance_ratio } }", "output.collapse.below: got neither below nor above"),
        ("output: { collapse: { metric: variance_ratio, below: 0.1, above: 2 } }", "output.collapse.above: got both below and above"),
        ("output: { collapse: { metric: kl, below: 0.1 } }", "output.collapse.metric: got 'kl'; allowed: one of the metrics this run computes (variance, variance_ratio)"),
        ("output: { collapse: { metric: nope, below: 0.1 } }", "output.collapse.metric: got 'nope'"),
    ])
    func badThresholdsAreNamed(_ yaml: String, _ expected: String) throws {
        try withScratch { s in
            let config = try s.write("c.yaml", "metrics: [variance, variance_ratio]\n" + yaml + "\n")
            let r = try s.run(["validate", config])
            #expect(r.status == 2 && r.stderr.contains(expected), "\(r)")
        }
    }
}
