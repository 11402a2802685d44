import Foundation
import Testing

// End-to-end tests of the built `collapse` binary (see CLIHarness.swift): each runs the
// real executable in a fresh temporary folder and checks its exit status, messages and
// output files.

@Suite struct ValidateTests {
    /// Leaves rng, estimator, sampling and metrics to their defaults.
    static let sparse = """
    name: sparse
    replicates: 20
    generations: 10
    samples: 20
    policy: { kind: accumulate }

    """

    @Test func printsResolvedConfigWithDefaults() throws {
        try withScratch { s in
            let config = try s.write("sparse.yaml", Self.sparse)
            let r = try s.run(["validate", config])
            #expect(r.status == 0, "\(r)")
            #expect(r.stderr.isEmpty, "\(r)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("rng: ") && $0.contains("mt19937") }, "\(r)")
            #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("estimator: ") && $0.contains("mle") }, "\(r)")
            #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("temperature: ") }, "\(r)")
            #expect(lines.contains { $0.hasPrefix("seed: ") }, "\(r)")
            #expect(lines.contains { $0.hasPrefix("metrics: ") && $0.contains("variance") }, "\(r)")
            #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("kind: ") && $0.contains("accumulate") }, "\(r)")
        }
    }

    @Test func jsonOutputParses() throws {
        try withScratch { s in
            let config = try s.write("sparse.yaml", Self.sparse)
            let r = try s.run(["validate", config, "--json"])
            #expect(r.status == 0, "\(r)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r)")
            let policy = try #require(object["policy"] as? [String: Any])
            #expect(policy["kind"] as? String == "accumulate")
            #expect(object["rng"] as? String == "mt19937")
            #expect((object["model"] as? [String: Any])?["estimator"] as? String == "mle")
            #expect((object["sampling"] as? [String: Any])?["temperature"] as? Double == 1)
            #expect(object["samples"] as? Int == 20)
            #expect(object["seed"] is Int)
            #expect((object["metrics"] as? [String])?.isEmpty == false)
        }
    }

    @Test func overridesAreApplied() throws {
        try withScratch { s in
            let config = try s.write("sparse.yaml", Self.sparse)
            let r = try s.run(["validate", config, "--json", "--set", "samples=30", "--set", "policy.kind=replace",
                               "--set", "rng=xoshiro256starstar"])
            #expect(r.status == 0, "\(r)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r)")
            #expect(object["samples"] as? Int == 30)
            #expect((object["policy"] as? [String: Any])?["kind"] as? String == "replace")
            #expect(object["rng"] as? String == "xoshiro256starstar")
        }
    }

    /// The resolved config is itself a valid config that resolves to the same thing.
    @Test(arguments: [false, true])
    func resolvedConfigRoundTrips(json: Bool) throws {
        try withScratch { s in
            let config = try s.write("mix.yaml", """
            name: mixed
            replicates: 5
            generations: 4
            samples: 10
            real: { distribution: normal, mean: [0, 1], covariance: [[1, 0.5], [0.5, 2]] }
            policy: { kind: mix, real_fraction: { from: 0.5, to: 0.1 }, real_source: fresh }

            """)
            let flag = json ? ["--json"] : []
            let first = try s.run(["validate", config] + flag)
            try #require(first.status == 0, "\(first)")
            let resolved = try s.write(json ? "resolved.json" : "resolved.yaml", first.stdout)
            let second = try s.run(["validate", resolved] + flag)
            #expect(second.status == 0, "\(second)")
            #expect(second.stdout == first.stdout)
        }
    }
}

// MARK: - 6. --set changes the run

@Suite struct OverrideTests {
    @Test func setSamplesReachesTheManifest() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            let plain = try s.run(["run", config, "--out", s.path("plain"), "--quiet"])
            try #require(plain.status == 0, "\(plain)")
            let r = try s.run(["run", config, "--out", s.path("out"), "--set", "samples=30", "--quiet"])
            try #require(r.status == 0, "\(r)")
            let manifest = try s.json("out/manifest.json")
            let resolved = try #require(manifest["config"] as? [String: Any])
            #expect(resolved["samples"] as? Int == 30)
            #expect(resolved["replicates"] as? Int == 20, "other fields kept")
            let plainManifest = try s.json("plain/manifest.json")
            #expect((plainManifest["config"] as? [String: Any])?["samples"] as? Int == 20)
            #expect(manifest["config_hash"] as? String != plainManifest["config_hash"] as? String)
            #expect(try s.data("out/metrics.csv") != s.data("plain/metrics.csv"))
        }
    }

    @Test func setCanBuildANestedSection() throws {
        try withScratch { s in
            let config = try s.write("tiny.yaml", tinyConfig)
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet",
                               "--set", "policy.kind=mix", "--set", "policy.real_fraction=0.25"])
            try #require(r.status == 0, "\(r)")
            let policy = try #require((s.json("out/manifest.json")["config"] as? [String: Any])?["policy"] as? [String: Any])
            #expect(policy["kind"] as? String == "mix")
            #expect(policy["real_fraction"] as? Double == 0.25)
        }
    }
}

// MARK: - 7. File formats
