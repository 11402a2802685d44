import Foundation
import FoundationXML
import Testing

/// `collapse theory`, `output.snapshots` and `collapse report` end to end.
@Suite struct ReportTests {
    static let config = """
        name: report-test
        seed: 3
        replicates: 20
        generations: 12
        samples: 30
        metrics: [variance, kl, tail_mass_ratio]
        output: { snapshots: [0, 12] }
        """

    @Test func theoryThenRunThenReport() throws {
        try withScratch { s in
            let config = try s.write("c.yaml", Self.config)
            // Theory first: the folder then holds only theory.csv, and run may still use it.
            let t = try s.run(["theory", config, "--out", s.path("out")])
            try #require(t.status == 0, "\(t)")
            let theory = csvLines(try s.text("out/theory.csv"))
            #expect(theory.first == "cell,generation,metric,value")
            // variance only (kl and tail_mass_ratio have no closed form): 13 generations.
            #expect(theory.count == 1 + 13)
            // E[σ²_12] = (29/30)^13 (Shumailov et al. 2024).
            let last = try #require(theory.last?.split(separator: ","))
            #expect(last[1] == "12" && last[2] == "variance")
            #expect(abs(Double(last[3])! - pow(29.0 / 30.0, 13)) < 1e-15)

            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            let samples = csvLines(try s.text("out/samples.csv"))
            #expect(samples.first == "cell,generation,index,value")
            #expect(samples.count == 1 + 2 * 30)

            let rep = try s.run(["report", s.path("out")])
            try #require(rep.status == 0, "\(rep)")
            let dir = s.url("out/report")
            let all = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            // Every chart also has its narrow (phone) rendering.
            let files = all.filter { !$0.hasSuffix("-narrow.svg") }
            #expect(all.filter { $0.hasSuffix("-narrow.svg") } == files.filter { $0.hasSuffix(".svg") }.map { String($0.dropLast(4)) + "-narrow.svg" }.sorted())
            // tail_mass_ratio's t-interval dips below 0 (its bound), so it gets the median
            // chart only; variance and kl get the mean chart and the median one.
            #expect(files == ["index.html", "metric-kl-median.svg", "metric-kl.svg", "metric-tail_mass_ratio.svg",
                              "metric-variance-median.svg", "metric-variance.svg",
                              "snapshot-08f44b07b5901a25-g0.svg", "snapshot-08f44b07b5901a25-g12.svg"])
            for file in files where file.hasSuffix(".svg") {
                let doc = try XMLDocument(data: try Data(contentsOf: dir.appendingPathComponent(file)))
                #expect(doc.rootElement()?.name == "svg", "\(file)")
            }

            // The variance chart: one replicate-mean line and one dashed theory line,
            // each with a vertex per generation, and one band.
            let variance = try XMLDocument(data: try Data(contentsOf: dir.appendingPathComponent("metric-variance.svg")))
            let series = try variance.nodes(forXPath: "//*[local-name()='polyline'][@class='series']/@points")
            let theoryLines = try variance.nodes(forXPath: "//*[local-name()='polyline'][@class='theory']/@points")
            #expect(series.count == 1 && theoryLines.count == 1)
            for points in series + theoryLines {
                #expect((points.stringValue ?? "").split(separator: " ").count == 13)
            }
            #expect(try variance.nodes(forXPath: "//*[local-name()='polygon'][@class='band']").count == 1)
            let kl = try XMLDocument(data: try Data(contentsOf: dir.appendingPathComponent("metric-kl.svg")))
            #expect(try kl.nodes(forXPath: "//*[local-name()='polyline'][@class='theory']").isEmpty)

            // Histogram: 40 bins at most, a real-density step line.
            let hist = try XMLDocument(data: try Data(contentsOf: dir.appendingPathComponent("snapshot-08f44b07b5901a25-g0.svg")))
            let bars = try hist.nodes(forXPath: "//*[local-name()='rect'][@class='bar']").count
            #expect(bars > 0 && bars <= 40)
            #expect(try hist.nodes(forXPath: "//*[local-name()='polyline'][@class='reference']").count == 1)

            // index.html: every referenced file exists, and nothing is fetched from a network.
            let html = try s.text("out/report/index.html")
            let refs = html.matches(of: /(?:src|href|srcset)="([^"]+)"/).map { String($0.1) }
            #expect(refs.count == 14)
            #expect(html.contains("tail_mass_ratio: median across replicates by generation with its interquartile range (q25–q75) (the mean&apos;s 95% t-interval crosses its lower bound 0 at some generation, so the median is drawn)."), "\(html)")
            // Primary metrics first: the Gaussian family's variance, then tail_mass_ratio and kl.
            let order = ["metric-variance.svg", "metric-tail_mass_ratio.svg", "metric-kl.svg"].map { html.range(of: $0)!.lowerBound }
            #expect(order == order.sorted())
            for ref in refs {
                #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(ref).path), "\(ref)")
                #expect(!ref.contains("://"))
            }
            #expect(html.contains("report-test") && html.contains("seed"))
        }
    }

    /// A categorical run: the Wright–Fisher theory is a line, the generation-0 occupancy
    /// curves are single points (drawn as a dot, a one-vertex line would be invisible),
    /// and the snapshot histogram is drawn against the real probabilities.
    @Test func categoricalReport() throws {
        try withScratch { s in
            let config = try s.write("c.yaml", """
                replicates: 10
                generations: 6
                samples: 40
                model: { family: categorical }
                real: { distribution: zipf, categories: 20 }
                metrics: [heterozygosity, support_size]
                output: { snapshots: [3] }
                """)
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            let rep = try s.run(["report", s.path("out")])
            try #require(rep.status == 0, "\(rep)")
            let dir = s.url("out/report")
            func svg(_ file: String) throws -> XMLDocument {
                try XMLDocument(data: try Data(contentsOf: dir.appendingPathComponent(file)))
            }
            let h = try svg("metric-heterozygosity.svg")
            let theory = try h.nodes(forXPath: "//*[local-name()='polyline'][@class='theory']/@points")
            #expect(theory.count == 1 && (theory.first?.stringValue ?? "").split(separator: " ").count == 7)
            let support = try svg("metric-support_size.svg")
            #expect(try support.nodes(forXPath: "//*[local-name()='circle'][@class='point']").count == 1)
            let hist = try svg("snapshot-08f44b07b5901a25-g3.svg")
            #expect(try hist.nodes(forXPath: "//*[local-name()='rect'][@class='bar']").count > 0)
            #expect(try hist.nodes(forXPath: "//*[local-name()='polyline'][@class='reference']").count == 1)
        }
    }

    /// A sweep: one line per cell (legend by the short swept keys, one shared theory
    /// entry), and a final-value chart per numeric swept key.
    @Test func sweepReportHasEveryCell() throws {
        try withScratch { s in
            let config = try s.write("c.yaml", """
                replicates: 5
                generations: 4
                metrics: [variance]
                policy: { kind: mix, real_source: fresh, real_fraction: 0 }
                sweep: { samples: [10, 20], policy.real_fraction: [0.1, 0.5] }
                """)
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            let rep = try s.run(["report", s.path("out")])
            try #require(rep.status == 0, "\(rep)")
            let dir = s.url("out/report")
            let chart = try XMLDocument(data: try Data(contentsOf: dir.appendingPathComponent("metric-variance.svg")))
            #expect(try chart.nodes(forXPath: "//*[local-name()='polyline'][@class='series']").count == 4)
            #expect(try chart.nodes(forXPath: "//*[local-name()='polyline'][@class='theory']").count == 4)
            let legend = try chart.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
            #expect(legend.contains("real_fraction=0.5, samples=20") && legend.filter { $0 == "dashed: theory" }.count == 1)
            for key in ["samples", "policy.real_fraction"] {
                let final = try XMLDocument(data: try Data(contentsOf: dir.appendingPathComponent("final-variance-by-\(key).svg")))
                #expect(try final.nodes(forXPath: "//*[local-name()='polyline'][@class='series']").count == 2, "\(key)")
            }
        }
    }

    /// Legend entries in numeric order (samples=20 before samples=100, whatever the
    /// sweep's order), and the Run table showing the swept lists, not the first cell's.
    @Test func sweepLegendIsNumericAndRunTableShowsSweptLists() throws {
        try withScratch { s in
            let config = try s.write("c.yaml", """
                replicates: 3
                generations: 2
                metrics: [variance]
                sweep: { samples: [100, 20, 5] }
                """)
            try #require(try s.run(["run", config, "--out", s.path("out"), "--quiet"]).status == 0)
            try #require(try s.run(["report", s.path("out")]).status == 0)
            let chart = try XMLDocument(data: try s.data("out/report/metric-variance.svg"))
            let names = try chart.nodes(forXPath: "//*[local-name()='polyline'][@class='series']/@data-series").compactMap(\.stringValue)
            #expect(names == ["samples=5", "samples=20", "samples=100"])
            let html = try s.text("out/report/index.html")
            #expect(html.contains("<tr><th>samples</th><td>5, 20, 100 (swept)</td></tr>"), "\(html)")
            #expect(html.contains("<tr><th>chains</th><td>9 (3 replicates per cell)</td></tr>"), "\(html)")
        }
    }

    /// More than six lines: small multiples, one panel per value of the swept key with
    /// the fewest values (or `--facet`), the other key's lines in the same colours in
    /// every panel, sharing axes.
    @Test func manyLinesAreDrawnAsSmallMultiples() throws {
        try withScratch { s in
            let config = try s.write("c.yaml", """
                replicates: 3
                generations: 3
                metrics: [variance]
                policy: { kind: mix, real_source: fresh, real_fraction: 0 }
                sweep: { samples: [10, 20], policy.real_fraction: [0, 0.1, 0.2, 0.5] }
                """)
            try #require(try s.run(["run", config, "--out", s.path("out"), "--quiet"]).status == 0)
            try #require(try s.run(["report", s.path("out")]).status == 0)
            func panels(_ file: String) throws -> (titles: [String], series: [String], strokes: [String]) {
                let chart = try XMLDocument(data: try s.data("out/report/\(file)"))
                let texts = try chart.nodes(forXPath: "//*[local-name()='text'][@font-weight='bold']").compactMap(\.stringValue)
                let series = try chart.nodes(forXPath: "//*[local-name()='polyline'][@class='series']/@data-series").compactMap(\.stringValue)
                let strokes = try chart.nodes(forXPath: "//*[local-name()='polyline'][@class='series']/@stroke").compactMap(\.stringValue)
                return (Array(texts.dropFirst()), series, strokes)
            }
            // samples has 2 values, real_fraction 4: two panels of four lines.
            let (titles, series, strokes) = try panels("metric-variance.svg")
            #expect(titles == ["samples=10", "samples=20"])
            #expect(series == ["real_fraction=0", "real_fraction=0.1", "real_fraction=0.2", "real_fraction=0.5",
                               "real_fraction=0", "real_fraction=0.1", "real_fraction=0.2", "real_fraction=0.5"])
            #expect(Array(strokes[0..<4]) == Array(strokes[4..<8]) && Set(strokes).count == 4)
            #expect(try s.text("out/report/index.html").contains("one panel per value of samples, shared axes."))

            try #require(try s.run(["report", s.path("out"), "--facet", "policy.real_fraction"]).status == 0)
            #expect(try panels("metric-variance.svg").titles == ["real_fraction=0", "real_fraction=0.1", "real_fraction=0.2", "real_fraction=0.5"])
            let bad = try s.run(["report", s.path("out"), "--facet", "seed"])
            #expect(bad.status == 2 && bad.stderr.contains("--facet: got 'seed'; allowed: a swept key of this run (policy.real_fraction, samples)"), "\(bad)")
        }
    }

    /// On a 390 px phone (358 px for the picture after the page's padding) the page
    /// shows the narrow renderings, at most 360 px wide, so no text is below 11 px. The
    /// check is on the files: each narrow SVG's width and smallest font size.
    @Test func narrowChartsKeepTextLegibleOnAPhone() throws {
        try withScratch { s in
            let config = try s.write("c.yaml", "replicates: 4\ngenerations: 5\noutput: { snapshots: [0, 5] }\nsweep: { samples: [10, 20] }\n")
            try #require(try s.run(["run", config, "--out", s.path("out"), "--quiet"]).status == 0)
            try #require(try s.run(["report", s.path("out")]).status == 0)
            let html = try s.text("out/report/index.html")
            let narrow = html.matches(of: /<source media="\(max-width: 600px\)" srcset="([^"]+)">/).map { String($0.1) }
            #expect(narrow.count == html.components(separatedBy: "<img ").count - 1 && !narrow.isEmpty)
            for file in narrow {
                let doc = try XMLDocument(data: try s.data("out/report/\(file)"))
                let width = try #require(Double(try doc.nodes(forXPath: "/*/@width").first?.stringValue ?? ""))
                let sizes = try doc.nodes(forXPath: "//*[local-name()='text']/@font-size").compactMap { Double($0.stringValue ?? "") }
                let shown = sizes.min()! * min(1, 358 / width)
                #expect(shown >= 11, "\(file): \(sizes.min()!) px at width \(width) shows as \(shown) px")
            }
        }
    }

    @Test func reportOnAFolderWithoutResultsIsAClearError() throws {
        try withScratch { s in
            let r = try s.run(["report", s.path("nothing")])
            #expect(r.status == 3, "\(r)")
            #expect(r.stderr.contains("no readable manifest.json"), "\(r)")
        }
    }

    /// A manifest whose config no longer matches its hash is refused, not reported on.
    @Test func reportRefusesAManifestWhoseConfigWasEdited() throws {
        try withScratch { s in
            let config = try s.write("c.yaml", "replicates: 2\ngenerations: 2\nmetrics: [variance]\n")
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            let manifest = try s.text("out/manifest.json")
            try #require(manifest.contains("\"replicates\": 2"))
            _ = try s.write("out/manifest.json", manifest.replacingOccurrences(of: "\"replicates\": 2", with: "\"replicates\": 3"))
            let rep = try s.run(["report", s.path("out")])
            #expect(rep.status == 3, "\(rep)")
            #expect(rep.stderr.contains("does not match its config"), "\(rep)")
        }
    }

    @Test func badSnapshotGenerationIsNamed() throws {
        try withScratch { s in
            let config = try s.write("c.yaml", "generations: 5\noutput: { snapshots: [0, 6] }\n")
            let r = try s.run(["validate", config])
            #expect(r.status == 2)
            #expect(r.stderr.contains("output.snapshots[1]: got 6; allowed: a list of generations in 0…5"), "\(r)")
        }
    }
}
