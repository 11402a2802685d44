import Foundation
import Testing

// `collapse export DIR… --out FILE.csv [--what summary|metrics|events]`, end to end:
// the tidy table's columns, rows and order against the folders' own files, pandas'
// dtypes, and every refusal (exit code, message, nothing written).

@Suite struct ExportTests {
    /// The three folders of most tests: `a-tiny` and `b-tiny` without a sweep (b with
    /// samples 25 and 10 replicates), `c-sweep` the 2 × 2 sweep of samples and policy.kind.
    func threeExperiments(_ s: Scratch, extraB: [String] = []) throws {
        let tiny = try s.write("tiny.yaml", tinyConfig + "metrics: [variance, w2, kl]\n")
        let sweep = try s.write("sweep.yaml", sweepConfig)
        for (folder, config, extra) in [("a", tiny, ["--set", "name=a-tiny"]),
                                        ("b", tiny, ["--set", "name=b-tiny", "--set", "samples=25", "--set", "replicates=10"] + extraB),
                                        ("c", sweep, ["--set", "name=c-sweep"])] {
            let r = try s.run(["run", config, "--out", s.path(folder), "--quiet"] + extra)
            try #require(r.status == 0, "\(r)")
        }
    }

    /// A CSV line split on commas (the tests' tables hold no quoted fields).
    func fields(_ line: Substring) -> [String] { line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }

    /// Two experiments without a sweep and one sweep: the columns, and every row equal
    /// to its folder's summary.csv row behind the experiment and config columns, in
    /// experiment, cell and file order.
    @Test func summaryOfTwoExperimentsAndASweep() throws {
        try withScratch { s in
            try threeExperiments(s)
            // Folders given out of order: rows are sorted by experiment name.
            let r = try s.run(["export", "c", "b", "a", "--out", "all.csv"])
            try #require(r.status == 0, "\(r)")
            #expect(r.stdout.contains("of 3 experiments (config columns config_replicates, policy_kind, samples)"), "\(r)")
            let lines = csvLines(try s.text("all.csv"))
            let summaryHeader = fields(csvLines(try s.text("a/summary.csv"))[0])
            // replicates (20, 10, 20) differs and is also a summary.csv column: config_replicates.
            #expect(fields(lines[0]) == ["experiment", "cell", "config_replicates", "policy_kind", "samples"] + summaryHeader.dropFirst())

            // The sweep's cells.csv gives each cell's policy.kind and samples.
            let sweepCells = Dictionary(uniqueKeysWithValues: csvLines(try s.text("c/cells.csv")).dropFirst().map { line in
                let f = fields(line)
                return (f[0], [f[1], f[2]])  // cell,policy.kind,samples
            })
            #expect(sweepCells.count == 4)
            var expected: [String] = []
            for (experiment, folder) in [("a-tiny", "a"), ("b-tiny", "b"), ("c-sweep", "c")] {
                let rows = csvLines(try s.text("\(folder)/summary.csv")).dropFirst()
                let byCell = Dictionary(grouping: rows, by: { String($0.prefix { $0 != "," }) })
                for cell in byCell.keys.sorted() {
                    let config: [String]
                    switch folder {
                    case "a": config = ["20", "replace", "20"]
                    case "b": config = ["10", "replace", "25"]
                    default: config = ["20"] + (sweepCells[cell] ?? ["?", "?"])
                    }
                    for row in byCell[cell]! {
                        expected.append(([experiment, cell] + config + fields(row).dropFirst()).joined(separator: ","))
                    }
                }
            }
            // 11 generations × 3 metrics per cell: 33 rows for a and b, 4 × 33 for the sweep.
            #expect(expected.count == 6 * 33)
            #expect(lines.dropFirst().map(String.init) == expected)
        }
    }

    /// metrics.csv has no `replicates` column, so the config's keeps its own name; every
    /// row is its folder's metrics.csv row.
    @Test func metricsOfTwoExperimentsAndASweep() throws {
        try withScratch { s in
            try threeExperiments(s)
            let r = try s.run(["export", "a", "b", "c", "--out", "out/metrics.csv", "--what", "metrics", "--quiet"])
            try #require(r.status == 0, "\(r)")
            #expect(r.stdout.isEmpty, "\(r)")
            let lines = csvLines(try s.text("out/metrics.csv"))
            #expect(fields(lines[0]) == ["experiment", "cell", "policy_kind", "replicates", "samples",
                                         "replicate", "generation", "metric", "value"])
            for (experiment, folder, count) in [("a-tiny", "a", 20 * 11 * 3), ("b-tiny", "b", 10 * 11 * 3), ("c-sweep", "c", 4 * 20 * 11 * 3)] {
                let mine = lines.dropFirst().filter { $0.hasPrefix(experiment + ",") }
                #expect(mine.count == count, "\(experiment)")
                let source = csvLines(try s.text("\(folder)/metrics.csv")).dropFirst().map(String.init)
                // Cells are in id order in both, and rows in file order within a cell.
                #expect(mine.map { fields($0).dropFirst(1).enumerated().filter { ![1, 2, 3].contains($0.offset) }.map(\.element).joined(separator: ",") } == source,
                        "\(experiment): rows differ from \(folder)/metrics.csv")
            }
        }
    }

    /// `--what events`: manifest.json's `cells[].events[]`, one row each, sorted by
    /// replicate, generation and event; an experiment without events adds no rows.
    @Test func eventsFromTheManifests() throws {
        try withScratch { s in
            // n = 2 with the MLE collapses to variance exactly 0 (see DegenerateRunTests).
            let degenerate = try s.write("degenerate.yaml", """
            name: degenerate
            seed: 1
            replicates: 3
            generations: 1500
            samples: 2
            model: { family: gaussian, estimator: mle }
            real: { distribution: normal, mean: 0.0, sd: 1.0 }
            policy: { kind: replace }
            metrics: [variance]

            """)
            let tiny = try s.write("tiny.yaml", tinyConfig + "metrics: [variance]\n")
            for (folder, config) in [("d", degenerate), ("t", tiny)] {
                let r = try s.run(["run", config, "--out", s.path(folder), "--quiet"])
                try #require(r.status == 0, "\(r)")
            }
            let r = try s.run(["export", "t", "d", "--out", "events.csv", "--what", "events"])
            try #require(r.status == 0, "\(r)")
            let manifest = try s.json("d/manifest.json")
            let cell = try #require((manifest["cells"] as? [[String: Any]])?.first)
            let events = try #require(cell["events"] as? [[String: Any]]).map { e in
                (e["replicate"] as? Int ?? -1, e["generation"] as? Int ?? -1, e["event"] as? String ?? "")
            }
            try #require(!events.isEmpty, "the degenerate run recorded no event")
            let id = try #require(cell["cell"] as? String)
            let lines = csvLines(try s.text("events.csv"))
            // generations (1500 vs 10), replicates (3 vs 20), samples (2 vs 20) and seed (1 vs 7) differ.
            #expect(lines[0] == "experiment,cell,generations,replicates,samples,seed,replicate,generation,event")
            #expect(lines.dropFirst().map(String.init) == events.sorted { $0 < $1 }.map { "degenerate,\(id),1500,3,2,1,\($0.0),\($0.1),\($0.2)" })
            #expect(r.stdout.contains("exported \(events.count) events rows of 2 experiments"), "\(r)")
        }
    }

    /// pandas reads the export with numeric columns as int64/float64 and text as strings
    /// (object before pandas 3, str from 3 on), lists as their JSON text, and the dotted
    /// paths' `_` names work in DataFrame.query.
    @Test(.enabled(if: Python.hasPandas, "python3 cannot import pandas (python3 -m pip install pandas); .ci/run installs it"))
    func pandasReadsTheDtypes() throws {
        try withScratch { s in
            // b-tiny under mix (policy.real_fraction 0.25) with its own metrics list.
            try threeExperiments(s, extraB: ["--set", "policy={kind: mix, real_fraction: 0.25}", "--set", "metrics=[w2, variance]"])
            let r = try s.run(["export", "a", "b", "c", "--out", "all.csv"])
            try #require(r.status == 0, "\(r)")
            let script = """
            import json, sys
            import pandas as pd
            d = pd.read_csv(sys.argv[1], dtype={"cell": str})
            def kind(c):
                t = d[c].dtype
                if pd.api.types.is_object_dtype(t) or pd.api.types.is_string_dtype(t): return "text"
                return str(t)
            b = d.query("policy_kind == 'mix' and samples == 25")
            print(json.dumps({
                "dtypes": {c: kind(c) for c in d.columns},
                "rows": {e: int(n) for e, n in d.groupby("experiment").size().items()},
                "mix_rows": len(b),
                "b_metrics": json.loads(b["metrics"].iloc[0]),
                "b_fraction": float(b["policy_real_fraction"].iloc[0]),
                "a_fraction_missing": bool(d[d.experiment == "a-tiny"]["policy_real_fraction"].isna().all()),
            }))
            """
            let out = try Python.run(script, arguments: [s.path("all.csv")])
            try #require(out.status == 0, "python3: \(out.output)\(out.errors)")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(out.output.utf8)) as? [String: Any], "\(out.output)")
            let dtypes = try #require(result["dtypes"] as? [String: String])
            #expect(dtypes == [
                "experiment": "text", "cell": "text", "config_replicates": "int64", "metrics": "text",
                "policy_kind": "text", "policy_real_fraction": "float64", "policy_real_source": "text", "samples": "int64",
                "generation": "int64", "metric": "text", "mean": "float64", "sd": "float64",
                "ci_low": "float64", "ci_high": "float64", "replicates": "int64",
                "median": "float64", "q05": "float64", "q25": "float64", "q75": "float64", "q95": "float64",
            ], "\(dtypes)")
            #expect(result["rows"] as? [String: Int] == ["a-tiny": 33, "b-tiny": 22, "c-sweep": 132])
            #expect(result["mix_rows"] as? Int == 22)
            #expect(result["b_metrics"] as? [String] == ["variance", "w2"])
            #expect(result["b_fraction"] as? Double == 0.25)
            #expect(result["a_fraction_missing"] as? Bool == true)
        }
    }

    /// Folders of one experiment name get `NAME (FOLDER)`: the last path component, or
    /// the path as given when those are the same too; a folder given twice is read once.
    @Test func experimentsOfOneNameAreTold() throws {
        try withScratch { s in
            let tiny = try s.write("tiny.yaml", tinyConfig + "metrics: [variance]\n")
            for (folder, seed) in [("x/run", "7"), ("y/run", "8"), ("z/other", "9")] {
                let r = try s.run(["run", tiny, "--out", s.path(folder), "--set", "seed=\(seed)", "--quiet"])
                try #require(r.status == 0, "\(r)")
            }
            let r = try s.run(["export", "x/run", "y/run/", "--out", "two.csv"])
            try #require(r.status == 0, "\(r)")
            let experiments = Set(csvLines(try s.text("two.csv")).dropFirst().map { fields($0)[0] })
            #expect(experiments == ["tiny (x/run)", "tiny (y/run)"])
            #expect(csvLines(try s.text("two.csv"))[0].hasPrefix("experiment,cell,seed,generation,"))

            let three = try s.run(["export", "x/run", "z/other", "./z/other", "--out", "three.csv"])
            try #require(three.status == 0, "\(three)")
            #expect(three.stderr.contains("warning: ./z/other is given more than once; read once"), "\(three)")
            let lines = csvLines(try s.text("three.csv"))
            #expect(Set(lines.dropFirst().map { fields($0)[0] }) == ["tiny (run)", "tiny (other)"])
            #expect(lines.count == 1 + 2 * 11)
        }
    }

    /// A folder whose table has an extra column (another version's summary.csv): the
    /// union, the other folders' cells of it empty.
    @Test func unionOfDataColumns() throws {
        try withScratch { s in
            let tiny = try s.write("tiny.yaml", tinyConfig + "metrics: [variance]\n")
            for (folder, name) in [("a", "a-tiny"), ("b", "b-tiny")] {
                let r = try s.run(["run", tiny, "--out", s.path(folder), "--set", "name=\(name)", "--quiet"])
                try #require(r.status == 0, "\(r)")
            }
            let lines = csvLines(try s.text("b/summary.csv"))
            try s.write("b/summary.csv", ([lines[0] + ",extra"] + lines.dropFirst().enumerated().map { "\($1),\($0)" }).joined(separator: "\n") + "\n")
            let r = try s.run(["export", "b", "a", "--out", "all.csv"])
            try #require(r.status == 0, "\(r)")
            let out = csvLines(try s.text("all.csv"))
            #expect(out[0] == "experiment,cell," + lines[0].dropFirst("cell,".count) + ",extra")
            #expect(out.dropFirst().filter { $0.hasPrefix("a-tiny,") }.allSatisfy { $0.hasSuffix(",") })
            #expect(out.dropFirst().filter { $0.hasPrefix("b-tiny,") }.map { fields($0).last! } == (0..<11).map(String.init))
        }
    }

    /// A swept path is a column even where its value is the same in every cell (a
    /// one-value sweep); a summary.csv with no rows (header only) adds no rows.
    @Test func sweptPathsAndEmptyTables() throws {
        try withScratch { s in
            let one = try s.write("one.yaml", tinyConfig + "metrics: [variance]\nsweep: { samples: [20] }\n")
            let tiny = try s.write("tiny.yaml", tinyConfig + "metrics: [variance]\n")
            for (folder, config) in [("one", one), ("plain", tiny)] {
                let r = try s.run(["run", config, "--out", s.path(folder), "--set", "name=\(folder)", "--quiet"])
                try #require(r.status == 0, "\(r)")
            }
            let r = try s.run(["export", "one", "--out", "one.csv"])
            try #require(r.status == 0, "\(r)")
            let lines = csvLines(try s.text("one.csv"))
            #expect(lines[0].hasPrefix("experiment,cell,samples,generation,"), "\(lines[0])")
            #expect(lines.count == 1 + 11 && lines.dropFirst().allSatisfy { fields($0)[2] == "20" })

            let header = csvLines(try s.text("plain/summary.csv"))[0]
            try s.write("plain/summary.csv", header + "\n")
            let both = try s.run(["export", "plain", "one", "--out", "both.csv"])
            try #require(both.status == 0, "\(both)")
            let rows = csvLines(try s.text("both.csv")).dropFirst()
            #expect(rows.count == 11 && rows.allSatisfy { $0.hasPrefix("one,") })
        }
    }

    /// Every refusal: exit 2 for input that is not a finished results folder, exit 3
    /// for an existing --out, each message naming the file, and nothing written.
    @Test func refusals() throws {
        try withScratch { s in
            try threeExperiments(s)
            func refused(_ arguments: [String], code: Int32, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
                let r = try s.run(["export"] + arguments + ["--out", "out/x.csv"])
                #expect(r.status == code, "\(r)", sourceLocation: sourceLocation)
                #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(message), "\(r)", sourceLocation: sourceLocation)
                // Not even the folder of --out (nor a temporary file in it) is left.
                let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: s.path("out"))) ?? []
                #expect(!s.exists("out"), "a refused export left out/ with \(leftovers)", sourceLocation: sourceLocation)
            }
            // Not a results folder: missing, or a folder without manifest.json.
            try s.write("notes/readme.txt", "hello\n")
            try refused(["a", "notes"], code: 2, "notes: not a collapse results folder (no manifest.json)")
            try refused(["a", "nowhere"], code: 2, "nowhere: not a collapse results folder (no manifest.json)")
            // A shard's folder.
            let shard = try s.run(["run", s.path("tiny.yaml"), "--shard", "1/2", "--out", s.path("shard"), "--quiet"])
            try #require(shard.status == 0, "\(shard)")
            try refused(["a", "shard"], code: 2, "shard: holds shard 1/2 only, not results; merge the shards first")
            // A manifest that is not JSON.
            try FileManager.default.copyItem(at: s.url("a"), to: s.url("broken"))
            try s.write("broken/manifest.json", "{ not json")
            try refused(["broken"], code: 2, "broken/manifest.json: not readable as a JSON object")
            // summary.csv missing, or with a row of a cell the manifest does not have.
            try FileManager.default.copyItem(at: s.url("b"), to: s.url("nosummary"))
            try FileManager.default.removeItem(at: s.url("nosummary/summary.csv"))
            try refused(["a", "nosummary"], code: 2, "nosummary/summary.csv is missing")
            try FileManager.default.copyItem(at: s.url("b"), to: s.url("stray"))
            try s.write("stray/summary.csv", try s.text("b/summary.csv") + "0123456789abcdef,0,kl,1,1,1,1,10,1,1,1,1,1\n")
            // The stray folder sorts after a-tiny, whose rows were already streamed out.
            try refused(["a", "stray"], code: 2, "stray/summary.csv: line 35: cell '0123456789abcdef' is not in manifest.json's cells")
            // Two config paths that give one column name (a hand-made key policy_kind).
            try FileManager.default.copyItem(at: s.url("b"), to: s.url("clash"))
            let text = try s.text("clash/manifest.json")
            try s.write("clash/manifest.json", text.replacingOccurrences(of: "\"config\": {", with: "\"config\": {\"policy_kind\": \"x\","))
            try refused(["clash", "c"], code: 2, "config paths policy.kind and policy_kind both give the column name policy_kind")
            // Manifests that do not describe their folder.
            func editManifest(_ folder: String, from source: String = "b", _ change: (inout [String: Any]) -> Void) throws {
                try FileManager.default.copyItem(at: s.url(source), to: s.url(folder))
                var manifest = try s.json("\(folder)/manifest.json")
                change(&manifest)
                try JSONSerialization.data(withJSONObject: manifest).write(to: s.url("\(folder)/manifest.json"))
            }
            try editManifest("noname") { m in
                var config = m["config"] as? [String: Any] ?? [:]
                config["name"] = nil
                m["config"] = config
            }
            try refused(["noname"], code: 2, "noname/manifest.json: no config with a name")
            try editManifest("nocells") { $0["cells"] = [Any]() }
            try refused(["nocells"], code: 2, "nocells/manifest.json: no cells[]")
            try editManifest("twocells") { m in m["cells"] = (m["cells"] as? [Any] ?? []) + (m["cells"] as? [Any] ?? []) }
            try refused(["twocells"], code: 2, "twocells/manifest.json: 2 cells but a config without a sweep")
            try editManifest("badevent") { m in
                var cell = (m["cells"] as? [[String: Any]])?.first ?? [:]
                cell["events"] = [["replicate": "one", "generation": 3, "event": "variance_collapsed"]]
                m["cells"] = [cell]
            }
            let badEvent = try s.run(["export", "badevent", "--out", "out/x.csv", "--what", "events"])
            #expect(badEvent.status == 2 && badEvent.stderr.contains("is not {replicate, generation, event}"), "\(badEvent)")
            #expect(!s.exists("out"))
            // A sweep whose manifest's hash or cells are not its config's.
            let sweepManifest = try s.text("c/manifest.json")
            let hash = try #require(try s.json("c/manifest.json")["config_hash"] as? String)
            try FileManager.default.copyItem(at: s.url("c"), to: s.url("rehashed"))
            try s.write("rehashed/manifest.json", sweepManifest.replacingOccurrences(of: hash, with: "0123456789abcdef"))
            try refused(["rehashed"], code: 2, "rehashed/manifest.json: config_hash 0123456789abcdef does not match its config (\(hash))")
            let firstCell = try #require(csvLines(try s.text("c/cells.csv"))[1].split(separator: ",").first)
            try FileManager.default.copyItem(at: s.url("c"), to: s.url("recelled"))
            try s.write("recelled/manifest.json", sweepManifest.replacingOccurrences(of: "\"cell\": \"\(firstCell)\"", with: "\"cell\": \"0123456789abcdef\""))
            try refused(["recelled"], code: 2, "recelled/manifest.json: cells[] (0123456789abcdef, ")
            // A sweep of model.family: the first cell's resolved model keys do not fit the
            // other family, so the cells cannot be rebuilt (as for `collapse report`).
            let family = try s.write("family.yaml", tinyConfig.replacingOccurrences(of: "model: { family: gaussian, estimator: mle }\n", with: "")
                                     + "metrics: [variance]\nsweep: { model.family: [gaussian, kde] }\n")
            let familyRun = try s.run(["run", family, "--out", s.path("family"), "--quiet"])
            try #require(familyRun.status == 0, "\(familyRun)")
            try refused(["family"], code: 2, "family/manifest.json: its sweep's cells cannot be rebuilt from its config")
            // An existing --out is never replaced.
            try s.write("out/x.csv", "mine\n")
            let r = try s.run(["export", "a", "--out", "out/x.csv"])
            #expect(r.status == 3, "\(r)")
            #expect(r.stderr.contains("--out out/x.csv: exists already; choose another --out or remove it (nothing was written)"), "\(r)")
            #expect(try s.text("out/x.csv") == "mine\n")
        }
    }
}

/// python3, and whether it can import pandas.
enum Python {
    static let hasPandas: Bool = (try? run("import pandas").status) == 0

    /// Runs `python3 -c script arguments…`: its exit status, stdout and stderr.
    static func run(_ script: String, arguments: [String] = []) throws -> (status: Int32, output: String, errors: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // The scripts print little: reading one pipe to its end cannot block the other.
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}
