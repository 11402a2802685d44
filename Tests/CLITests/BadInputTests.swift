import Foundation
import Testing

// End-to-end tests of the built `collapse` binary (see CLIHarness.swift): each runs the
// real executable in a fresh temporary folder and checks its exit status, messages and
// output files.

struct BadInput: Sendable, CustomTestStringConvertible {
    var label: String
    var config: String
    var overrides: [String] = []
    var expected: [String]

    var testDescription: String { label }

    static let all: [BadInput] = [
        BadInput(label: "unknown top-level key", config: tinyConfig + "sampels: 10\n",
                 expected: ["sampels", "unknown key"]),
        BadInput(label: "wrong type", config: "samples: many\n", expected: ["samples", "many"]),
        BadInput(label: "negative samples", config: "samples: -5\n", expected: ["samples", "-5"]),
        BadInput(label: "real_fraction out of range", config: "policy: {kind: mix, real_fraction: 1.5}\n",
                 expected: ["policy.real_fraction", "1.5"]),
        BadInput(label: "dimension above samples",
                 config: "real: {distribution: normal, mean: [0, 0, 0, 0, 0]}\nsamples: 3\n",
                 expected: ["samples", "3", "dimension"]),
        BadInput(label: "malformed YAML", config: "samples: [1, 2\n", expected: ["malformed YAML"]),
        BadInput(label: "unknown family", config: "model: {family: vae}\n", expected: ["model.family", "vae"]),
        BadInput(label: "--set out of range", config: tinyConfig, overrides: ["sampling.temperature=-1"],
                 expected: ["sampling.temperature", "-1"]),
        BadInput(label: "--set unknown key", config: tinyConfig, overrides: ["sampels=10"],
                 expected: ["sampels", "unknown key"]),
        BadInput(label: "--set without =", config: tinyConfig, overrides: ["samples"],
                 expected: ["--set", "samples"]),
    ]
}

@Suite struct BadInputTests {
    @Test(arguments: BadInput.all + BadInput.ngram)
    func runRefusesWithExitCode2AndCreatesNothing(_ bad: BadInput) throws {
        try withScratch { s in
            let config = try s.write("bad.yaml", bad.config)
            let out = s.path("out")
            let r = try s.run(["run", config, "--out", out, "--jobs", "1"] + bad.overrides.flatMap { ["--set", $0] })
            #expect(r.status == 2, "\(r)")
            #expect(r.stderr.hasPrefix("error: invalid config"), "\(r)")
            for piece in bad.expected {
                #expect(r.stderr.contains(piece), "stderr lacks '\(piece)': \(r)")
            }
            #expect(!s.exists("out"), "the --out folder was created for a bad config")
            #expect(!s.exists("results"), "a default results folder was created for a bad config")
            #expect(r.stdout.isEmpty, "\(r)")
        }
    }

    @Test(arguments: BadInput.all + BadInput.ngram)
    func validateRefusesWithExitCode2(_ bad: BadInput) throws {
        try withScratch { s in
            let config = try s.write("bad.yaml", bad.config)
            let r = try s.run(["validate", config] + bad.overrides.flatMap { ["--set", $0] })
            #expect(r.status == 2, "\(r)")
            #expect(r.stderr.hasPrefix("error: invalid config"), "\(r)")
            for piece in bad.expected {
                #expect(r.stderr.contains(piece), "stderr lacks '\(piece)': \(r)")
            }
            #expect(r.stdout.isEmpty, "\(r)")
        }
    }

    @Test func errorLinesNameFieldValueAndAllowed() throws {
        try withScratch { s in
            let config = try s.write("bad.yaml", "policy: {kind: mix, real_fraction: 1.5}\n")
            let r = try s.run(["run", config, "--out", s.path("out")])
            #expect(r.status == 2, "\(r)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("  policy.real_fraction: got 1.5; allowed: ") }, "\(r)")
        }
    }

    @Test func everyErrorIsReportedNotJustTheFirst() throws {
        try withScratch { s in
            let config = try s.write("bad.yaml", "samples: -5\nreplicates: 0\nmodel: {family: vae}\n")
            let r = try s.run(["validate", config])
            #expect(r.status == 2, "\(r)")
            for field in ["  samples:", "  replicates:", "  model.family:"] {
                #expect(r.stderr.contains(field), "stderr lacks '\(field)': \(r)")
            }
        }
    }

    @Test func missingConfigFileIsExitCode2() throws {
        try withScratch { s in
            let r = try s.run(["run", s.path("nope.yaml"), "--out", s.path("out")])
            #expect(r.status == 2, "\(r)")
            #expect(r.stderr.contains("nope.yaml"), "\(r)")
            #expect(!s.exists("out"))
        }
    }
}

// MARK: - 3, 4. Guarding the output folder
