import Foundation
import Testing

// End-to-end tests of the built `collapse` binary (see CLIHarness.swift): each runs the
// real executable in a fresh temporary folder and checks its exit status, messages and
// output files.

@Suite struct OutputFolderTests {
    @Test func folderOfAnotherConfigIsRefusedAndUntouched() throws {
        try withScratch { s in
            let configA = try s.write("a.yaml", tinyConfig)
            let configB = try s.write("b.yaml", tinyConfig.replacingOccurrences(of: "samples: 20", with: "samples: 25"))
            let out = s.path("out")
            let first = try s.run(["run", configA, "--out", out, "--jobs", "2", "--quiet"])
            try #require(first.status == 0, "\(first)")
            let before = try s.snapshot("out")
            // The result files, plus the run's journal in .collapse/ (see ResumeTests).
            try #require(Set(before.keys.filter { !$0.hasPrefix(".collapse/") }) == ["cells.csv", "events.csv", "metrics.csv", "summary.csv", "manifest.json"])

            let other = try s.run(["run", configB, "--out", out, "--jobs", "2"])
            #expect(other.status == 3, "\(other)")
            #expect(other.stderr.hasPrefix("error: "), "\(other)")
            #expect(other.stderr.contains("different config"), "\(other)")
            #expect(try s.snapshot("out") == before, "a refused run changed the output folder")

            // An override that changes the config is a different config too.
            let reseeded = try s.run(["run", configA, "--out", out, "--set", "seed=8"])
            #expect(reseeded.status == 3, "\(reseeded)")
            #expect(try s.snapshot("out") == before, "a refused run changed the output folder")

            // The same config again is welcome, and gives the same numbers.
            let again = try s.run(["run", configA, "--out", out, "--jobs", "1", "--quiet"])
            #expect(again.status == 0, "\(again)")
            let after = try s.snapshot("out")
            #expect(after["metrics.csv"] == before["metrics.csv"])
            #expect(after["summary.csv"] == before["summary.csv"])
            #expect(Set(after.keys) == Set(before.keys), "leftover files: \(after.keys.sorted())")
        }
    }

    @Test func nonEmptyFolderWithoutManifestIsRefusedAndUntouched() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            try s.write("out/notes.txt", "my precious notes\n")
            try s.write("out/sub/data.csv", "a,b\n1,2\n")
            let before = try s.snapshot("out")

            let r = try s.run(["run", config, "--out", s.path("out")])
            #expect(r.status == 3, "\(r)")
            #expect(r.stderr.hasPrefix("error: "), "\(r)")
            #expect(r.stderr.contains("manifest.json"), "\(r)")
            #expect(try s.snapshot("out") == before, "a refused run changed the folder")
            #expect(!s.exists("out/metrics.csv"))
        }
    }

    @Test(arguments: ["not json at all", "{\"tool\": {\"name\": \"collapse\"}}", "[1, 2, 3]"])
    func manifestWithoutConfigHashIsRefused(_ manifest: String) throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            try s.write("out/manifest.json", manifest)
            let before = try s.snapshot("out")
            let r = try s.run(["run", config, "--out", s.path("out")])
            #expect(r.status == 3, "\(r)")
            #expect(try s.snapshot("out") == before)
        }
    }

    @Test func emptyExistingFolderIsUsed() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            try FileManager.default.createDirectory(at: s.url("out"), withIntermediateDirectories: false)
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            #expect(r.status == 0, "\(r)")
            #expect(s.exists("out/manifest.json"))
        }
    }

    @Test func outThatIsAFileIsRefused() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            try s.write("out", "a file\n")
            let r = try s.run(["run", config, "--out", s.path("out")])
            #expect(r.status == 3, "\(r)")
            #expect(try s.text("out") == "a file\n")
        }
    }

    @Test func nestedOutFolderIsCreated() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            let r = try s.run(["run", config, "--out", s.path("deep/er/out"), "--quiet"])
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.isEmpty, "--quiet printed: \(r)")
            #expect(try s.snapshot("deep/er/out").keys.filter { !$0.hasPrefix(".collapse/") }.sorted()
                    == ["cells.csv", "events.csv", "manifest.json", "metrics.csv", "summary.csv"])
        }
    }
}

// MARK: - 5. validate
