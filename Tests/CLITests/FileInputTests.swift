import Foundation
import Testing

/// One bad data file (or bad `real:` section): its contents, the config around it, and
/// the pieces its error message must hold.
struct BadFile: Sendable, CustomTestStringConvertible {
    var label: String
    /// The file's bytes (nil: no file is written).
    var bytes: [UInt8]?
    var real: String = "{ distribution: table, file: data.csv }"
    var family = "gaussian"
    var samples = 3
    var expected: [String]

    var testDescription: String { label }

    init(_ label: String, _ text: String?, real: String? = nil, family: String = "gaussian", samples: Int = 3,
         expected: [String]) {
        self.label = label
        self.bytes = text.map { Array($0.utf8) }
        if let real { self.real = real }
        self.family = family
        self.samples = samples
        self.expected = expected
    }

    static let table = "{ distribution: table, file: data.csv"
    static let all: [BadFile] = [
        BadFile("missing file", nil, expected: ["real.file", "data.csv', which does not exist"]),
        BadFile("a folder", nil, real: "{ distribution: table, file: sub }", expected: ["real.file", "sub', a folder"]),
        {
            var b = BadFile("invalid UTF-8", "x\n1\n", expected: ["real.file", "not valid UTF-8 (first bad byte on line 3)"])
            b.bytes = Array("x\n1\n".utf8) + [0xC3, 0x28, 0x0A]
            return b
        }(),
        BadFile("empty file", "", expected: ["real.file", "an empty file"]),
        BadFile("header only", "x,y\n", expected: ["real.file", "a header without data rows"]),
        BadFile("duplicate header", "x,y,x\n1,2,3\n", expected: ["line 1: header name 'x' appears twice", "distinct header names"]),
        BadFile("empty header name", "x,,z\n1,2,3\n", expected: ["line 1: header name 2 is empty"]),
        BadFile("ragged row", "x,y\n1,2\n3\n4,5\n", expected: ["line 3: 1 cells", "2 cells in every row"]),
        BadFile("unterminated quote", "x,y\n1,\"open\n2,3\n", expected: ["line 2: a quote (\") that opens a cell and is never closed"]),
        BadFile("text after a closing quote", "x,y\n1,\"a\"b\n", expected: ["line 2: text after the quote"]),
        BadFile("non-numeric cell in a numeric column", "x,y\n1,2\n3,abc\n",
                real: table + ", types: { y: numeric } }", expected: ["line 3 (column y): 'abc'", "typed numeric"]),
        BadFile("empty cell with missing: error", "x,y\n1,2\n,4\n5,6\n7,8\n",
                expected: ["line 3 (column x): an empty cell", "missing: drop"]),
        BadFile("columns naming an absent column", "x,y\n1,2\n", real: table + ", columns: [x, age] }",
                expected: ["real.columns: got 'age'", "a column of data.csv (x, y)"]),
        BadFile("label naming an absent column", "x,y\n1,2\n", real: table + ", label: income }",
                expected: ["real.label: got 'income'"]),
        BadFile("sensitive naming an absent column", "x,y\n1,2\n", real: table + ", sensitive: sex }",
                expected: ["real.sensitive: got 'sex'"]),
        BadFile("a one-valued categorical column", "x,g\n1,a\n2,a\n3,a\n4,a\n", real: table + ", columns: [g] }",
                family: "categorical", expected: ["real.columns: got column g with one value only ('a')", "at least two distinct values"]),
        BadFile("a categorical column for a family of points", "x,g\n1,a\n2,b\n3,a\n4,b\n",
                expected: ["real.columns: got categorical column g", "numeric here: x"]),
        BadFile("more rows needed than the file holds", "x\n1\n2\n3\n4\n5\n", samples: 6,
                expected: ["samples: got a config that needs 6 rows per chain (samples 6)", "at most the 5 rows"]),
        BadFile("an empty corpus", "\n\n   \n", real: "{ distribution: text, file: data.csv }", family: "categorical",
                expected: ["holds no non-blank line"]),
        BadFile("a text file with copula", "one two\nthree four\n", real: "{ distribution: text, file: data.csv }",
                family: "copula", expected: ["real.distribution: got 'text' with model.family copula", "one of normal, table"]),
        BadFile("a column copula cannot model", "id,x\na,1\nb,2\nc,3\nd,4\n", family: "copula",
                expected: ["real.columns: got categorical column id with 4 distinct values in 4 rows", "frequency encoding"]),
    ]
}

/// File-backed real data through the binary: bad files exit 2 and touch no output;
/// a changed file refuses a resume and a merge.
@Suite struct FileInputTests {
    @Test(arguments: BadFile.all + BadFile.ngram)
    func badFilesExitTwoAndWriteNothing(_ bad: BadFile) throws {
        try withScratch { s in
            if let bytes = bad.bytes { try Data(bytes).write(to: s.url("data.csv")) }
            try FileManager.default.createDirectory(at: s.url("sub"), withIntermediateDirectories: true)
            let config = try s.write("bad.yaml", """
                samples: \(bad.samples)
                generations: 2
                replicates: 2
                model: { family: \(bad.family) }
                real: \(bad.real)
                """)
            let r = try s.run(["run", config, "--out", s.path("out")])
            #expect(r.status == 2, "\(r)")
            for piece in bad.expected { #expect(r.stderr.contains(piece), "stderr lacks '\(piece)': \(r)") }
            #expect(!s.exists("out"), "an output folder was created for a bad file")
        }
    }

    /// Relative paths start at the config's folder, not the working directory.
    @Test func relativePathsStartAtTheConfigsFolder() throws {
        try withScratch { s in
            try s.write("exp/data/t.csv", "x\n" + (1...40).map(String.init).joined(separator: "\n") + "\n")
            let config = try s.write("exp/configs/c.yaml", """
                samples: 10
                generations: 2
                replicates: 2
                real: { distribution: table, file: ../data/t.csv }
                """)
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            #expect(r.status == 0, "\(r)")
            let manifest = try s.json("out/manifest.json")
            let files = try #require(manifest["real_data"] as? [[String: Any]])
            #expect(files.first?["rows"] as? Int == 40 && files.first?["file"] as? String == "../data/t.csv")
        }
    }

    /// A project moved (or cloned) elsewhere: report, theory and export find its config's
    /// folder beside the results' ancestors once the recorded absolute one is gone; a
    /// same-named folder holding a different file is refused by the hash, not misread.
    @Test func movedProjectsResultsAreReadBackFromTheirOwnConfigFolder() throws {
        try withScratch { s in
            try s.write("p/data/t.csv", "x\n" + (1...40).map(String.init).joined(separator: "\n") + "\n")
            let config = try s.write("p/experiments/c.yaml", """
                name: moved
                samples: 10
                generations: 2
                replicates: 2
                real: { distribution: table, file: ../data/t.csv }
                """)
            let r = try s.run(["run", config, "--out", s.path("p/results/c"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            try FileManager.default.moveItem(at: s.url("p"), to: s.url("q"))
            #expect(try s.json("q/results/c/manifest.json")["config_directory"] as? String == s.path("p/experiments"))
            let report = try s.run(["report", s.path("q/results/c")])
            #expect(report.status == 0, "\(report)")
            let theory = try s.run(["theory", s.path("q/results/c")])
            #expect(theory.status == 0, "\(theory)")
            let export = try s.run(["export", s.path("q/results/c"), "--out", s.path("e.csv")])
            #expect(export.status == 0, "\(export)")
            // The same names with another file: the rebuilt config's hash differs.
            try s.write("q/data/t.csv", "x\n" + (1...41).map(String.init).joined(separator: "\n") + "\n")
            let changed = try s.run(["report", s.path("q/results/c")])
            #expect(changed.status != 0, "\(changed)")
        }
    }

    @Test func aChangedFileRefusesResumeAndMerge() throws {
        try withScratch { s in
            let rows = (1...60).map { "\($0)" }.joined(separator: "\n")
            try s.write("t.csv", "x\n" + rows + "\n")
            let config = try s.write("c.yaml", """
                name: filed
                samples: 10
                generations: 3
                replicates: 4
                real: { distribution: table, file: t.csv }
                """)
            #expect(try s.run(["run", config, "--out", s.path("out"), "--quiet"]).status == 0)
            #expect(try s.run(["run", config, "--out", s.path("shard1"), "--shard", "1/2", "--quiet"]).status == 0)
            let before = try s.snapshot("out")
            try s.write("t.csv", "x\n" + rows + "\n61\n")
            let rerun = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            #expect(rerun.status != 0 && rerun.stderr.contains("holds results of a different config"), "\(rerun)")
            #expect(try s.snapshot("out") == before, "the refused run changed the folder")
            let merge = try s.run(["merge", s.path("shard1"), "--out", s.path("merged")])
            #expect(merge.status != 0 && merge.stderr.contains("config_hash"), "\(merge)")
            #expect(!s.exists("merged"))
        }
    }
}

/// `make data`'s checks (scripts/make-data.py --check), on a small copy: no network.
struct MakeDataCheckTests {
    static let script = ResultsReproduceTests.root.appendingPathComponent("scripts/make-data.py").path

    func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.script] + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A copy with the right headers and row counts (dummy cells), written by the test.
    func writeCopy(_ s: Scratch) throws {
        func table(_ name: String, _ header: [String], rows: Int) throws {
            let row = header.map { _ in "1" }.joined(separator: ",")
            try s.write("copy/\(name)", ([header.joined(separator: ",")] + Array(repeating: row, count: rows)).joined(separator: "\n") + "\n")
        }
        try table("adult.csv", ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation",
                                "relationship", "race", "sex", "capital_gain", "capital_loss", "hours_per_week",
                                "native_country", "income"], rows: 32561)
        try table("compas.csv", ["id", "name", "first", "last", "sex"], rows: 7214)
        let german = ["status", "duration", "credit_history", "purpose", "credit_amount", "savings", "present_employment",
                      "installment_rate", "status_sex", "other_debtors", "present_residence", "property", "age",
                      "installment_plans", "housing", "number_of_credits", "job", "people_liable", "telephone",
                      "foreign_worker", "credit", "sex"]
        try table("german.csv", german, rows: 1000)
        let bases = ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave_points",
                     "symmetry", "fractal_dimension"]
        try table("breast_cancer.csv", bases.map { "mean_\($0)" } + bases.map { "\($0)_error" } + bases.map { "worst_\($0)" }
                  + ["diagnosis"], rows: 569)
        try table("wine.csv", ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols",
                               "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
                               "od280_od315_of_diluted_wines", "proline", "class"], rows: 178)
        try table("digits.csv", (0..<8).flatMap { r in (0..<8).map { "pixel_\(r)_\($0)" } } + ["digit"], rows: 1797)
        try s.write("copy/fortunes.txt", Array(repeating: "A fortune.\n-- Someone", count: 14396).joined(separator: "\n\n") + "\n")
    }

    @Test func checksPassOnAGoodCopyAndNameTheBadFile() throws {
        try withScratch { s in
            try writeCopy(s)
            let good = try python(["--check", s.path("copy")])
            #expect(good.status == 0, "\(good.output)")
            // Every file present and checked: `make data` fetches nothing.
            let again = try python(["--out", s.path("copy")])
            #expect(again.status == 0 && again.output.contains("every dataset present and checked"), "\(again.output)")

            let adult = try s.text("copy/adult.csv")
            try s.write("copy/adult.csv", String(adult.dropLast(4)) + "\n")  // the last row loses a cell
            let ragged = try python(["--check", s.path("copy")])
            #expect(ragged.status == 1 && ragged.output.contains("adult.csv: line 32562 has 14 cells, expected 15"), "\(ragged.output)")

            try s.write("copy/adult.csv", adult)
            try s.write("copy/wine.csv", try s.text("copy/wine.csv").replacingOccurrences(of: "alcohol,", with: "alcohol2,"))
            let header = try python(["--check", s.path("copy")])
            #expect(header.status == 1 && header.output.contains("wine.csv: header starts"), "\(header.output)")

            try FileManager.default.removeItem(at: s.url("copy/fortunes.txt"))
            try writeCopy(s)
            try s.write("copy/digits.csv", try s.text("copy/digits.csv").split(separator: "\n").dropLast().joined(separator: "\n") + "\n")
            let short = try python(["--check", s.path("copy")])
            #expect(short.status == 1 && short.output.contains("digits.csv: 1796 rows, expected 1797"), "\(short.output)")
        }
    }
}
