import Foundation
import FoundationXML
import Testing

/// `collapse compare`: the report's charts across results folders, one line per
/// experiment × cell, labelled by the differing config paths.
@Suite struct CompareTests {
    @Test func oneSeriesPerExperimentWithShortLabels() throws {
        try withScratch { s in
            let base = "replicates: 4\ngenerations: 6\nsamples: 20\nmetrics: [variance, ks]\n"
            let a = try s.write("a.yaml", "name: a\n" + base + "policy: { kind: replace }\n")
            let b = try s.write("b.yaml", "name: b\n" + base + "policy: { kind: mix, real_fraction: 0.2 }\n")
            let c = try s.write("c.yaml", "name: c\n" + base + "policy: { kind: accumulate }\nsweep: { samples: [10, 30] }\n")
            for (config, out) in [(a, "ra"), (b, "rb"), (c, "rc")] {
                try #require(try s.run(["run", config, "--out", s.path(out), "--quiet"]).status == 0)
            }
            let r = try s.run(["compare", s.path("ra"), s.path("rb"), s.path("rc"), "--out", s.path("cmp")])
            try #require(r.status == 0, "\(r)")
            for file in try FileManager.default.contentsOfDirectory(atPath: s.path("cmp")) where file.hasSuffix(".svg") {
                let doc = try XMLDocument(data: try s.data("cmp/\(file)"))
                #expect(doc.rootElement()?.name == "svg", "\(file)")
            }
            let chart = try XMLDocument(data: try s.data("cmp/metric-variance.svg"))
            let names = try chart.nodes(forXPath: "//*[local-name()='polyline'][@class='series']/@data-series").compactMap(\.stringValue)
            #expect(names == ["kind=replace, samples=20", "kind=mix, real_fraction=0.2, real_source=fixed, samples=20",
                              "kind=accumulate, samples=10", "kind=accumulate, samples=30"])
            #expect(!names.contains { $0.contains("{") || $0.contains("\"") })
            let html = try s.text("cmp/index.html")
            #expect(html.contains("metric-ks.svg") && html.contains(s.path("rb")))

            // An earlier comparison may be rewritten; a results folder may not.
            #expect(try s.run(["compare", s.path("ra"), s.path("rb"), "--out", s.path("cmp")]).status == 0)
            let refused = try s.run(["compare", s.path("ra"), "--out", s.path("rb")])
            #expect(refused.status == 3 && refused.stderr.contains("not an earlier `collapse compare` folder"), "\(refused)")
            // Two runs of one config are told apart by their names.
            let a2 = try s.write("a2.yaml", "name: a2\n" + base + "policy: { kind: replace }\n")
            try #require(try s.run(["run", a2, "--out", s.path("ra2"), "--quiet"]).status == 0)
            try #require(try s.run(["compare", s.path("ra"), s.path("ra2"), "--out", s.path("same")]).status == 0)
            let same = try XMLDocument(data: try s.data("same/metric-variance.svg"))
            #expect(try same.nodes(forXPath: "//*[local-name()='polyline'][@class='series']/@data-series").compactMap(\.stringValue) == ["a", "a2"])
        }
    }
}
