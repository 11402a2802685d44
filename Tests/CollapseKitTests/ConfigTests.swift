import Foundation
import Testing
@testable import CollapseKit

/// Config parsing and validation: defaults, overrides, and the error messages for
/// bad input (each names the field, the value and what is allowed).
struct ConfigTests {
    /// The project's `experiments/` folder, found from this file.
    static let experiments = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("experiments")

    /// The issue's example config, shipped as experiments/gaussian-replace.yaml.
    static let valid = try! String(contentsOf: experiments.appendingPathComponent("gaussian-replace.yaml"),
                                   encoding: .utf8)

    /// Every reference experiment validates. A file-backed one whose dataset `make data`
    /// has not fetched here may fail only for that: its `real.file` does not exist.
    @Test func everyShippedExperimentIsValid() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.experiments.path)
            .filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 4)
        for file in files {
            do {
                let c = try ConfigLoader.load(path: Self.experiments.appendingPathComponent(file).path)
                #expect(c.name + ".yaml" == file)
            } catch let e as ConfigErrors {
                let onlyMissingData = e.errors.allSatisfy {
                    $0.field == "real.file" && $0.value.contains("/data/") && $0.value.contains("which does not exist")
                }
                #expect(onlyMissingData, "\(file): \(e)")
            }
        }
    }

    func errors(_ yaml: String, overrides: [String] = []) -> [String] {
        TestRun.configErrors(yaml, overrides: overrides)
    }

    @Test func theIssueExampleParsesWithDefaults() throws {
        let c = try ConfigLoader.parse(text: Self.valid)
        #expect(c.name == "gaussian-replace" && c.samples == 100 && c.generations == 100)
        #expect(c.rng == .mt19937 && c.policy.kind == "replace" && c.dimension == 1)
        #expect(c.metrics == MetricName.gaussian(dimension: 1))
        #expect(c.metrics.map(\.rawValue) == c.metrics.map(\.rawValue).sorted())
    }

    /// The resolved config, written out and read back, is the same config.
    @Test(arguments: [
        valid,
        "real: { distribution: normal, mean: [0, 1], covariance: [[2, 0.5], [0.5, 1]] }\nsamples: 10",
        "real: { distribution: normal, mean: [0, 1, 2], sd: [1, 2, 3] }\nsamples: 10",
        "real: { distribution: normal, mean: [0, 1], covariance: [[2, 0], [0, 3]] }\nsamples: 10",
        "real: { distribution: normal, covariance: [[2]] }",
        "real: { distribution: student_t, dof: 3 }\npolicy: { kind: mix, real_fraction: {from: 0, to: 0.5}, real_source: fresh, synthetic_size: 50 }",
        "real: { distribution: mixture, weights: [0.5, 0.5], means: [-1, 1], sds: [1, 1] }\npolicy: { kind: mix, real_fraction: [0.1, 0.2] }\ngenerations: 2",
    ])
    func resolvedConfigRoundTrips(_ yaml: String) throws {
        let c = try ConfigLoader.parse(text: yaml)
        #expect(try ConfigLoader.parse(text: c.jsonValue.yamlText()) == c)
        #expect(try ConfigLoader.parse(text: c.jsonValue.jsonText(pretty: true)) == c)
        #expect(c.hash == (try ConfigLoader.parse(text: c.jsonValue.yamlText())).hash)
    }

    @Test func overridesSetNestedFields() throws {
        let c = try ConfigLoader.parse(text: Self.valid, overrides: [
            "samples=1000", "policy.kind=mix", "policy.real_fraction=0.1", "policy.real_source=fresh",
            "sampling.temperature=0.5", "metrics=[variance, w2]"])
        #expect(c.samples == 1000 && c.policy.kind == "mix" && c.policy.mix?.realFraction == .constant(0.1))
        #expect(c.policy.mix?.realSource == .fresh && c.sampling.temperature == 0.5 && c.metrics == [.variance, .w2])
        #expect(c.hash != (try ConfigLoader.parse(text: Self.valid)).hash)
    }

    @Test(arguments: [
        ("sampels: 10", "sampels: got an unknown key; allowed: the keys name, seed, replicates"),
        ("samples: many", "samples: got 'many'; allowed: an integer in 2 … 2147483647"),
        ("samples: -5", "samples: got -5; allowed: an integer in 2 … 2147483647"),
        ("replicates: 0", "replicates: got 0; allowed: an integer in 1 … 10000000"),
        ("samples: 2.5", "samples: got 2.5; allowed: an integer in 2 … 2147483647"),
        ("policy: { kind: mix, real_fraction: 1.5 }",
         "policy.real_fraction: got 1.5; allowed: a number in [0, 1]"),
        ("policy: { kind: mix }", "policy.real_fraction: got nothing; allowed: a number in [0, 1]"),
        ("policy: { kind: replace, real_fraction: 0.5 }",
         "policy.real_fraction: got a value with policy.kind replace; allowed: real_fraction only with policy.kind mix"),
        ("policy: { kind: mix, real_fraction: [0.1, 0.2] }\ngenerations: 3",
         "policy.real_fraction: got a list of 2 values; allowed: exactly one value per generation 1…3 (3 values)"),
        ("policy: { kind: mix, real_fraction: 0.5, real_source: old }",
         "policy.real_source: got 'old'; allowed: one of fresh, fixed"),
        ("policy: { kind: recycle }",
         "policy.kind: got 'recycle'; allowed: one of replace, accumulate, accumulate_subsample, mix"),
        ("real: { distribution: normal, mean: [0, 0, 0, 0, 0] }\nsamples: 3",
         "samples: got 3; allowed: at least 6 (dimension + 1) to fit a full covariance in dimension 5"),
        ("real: { distribution: normal, sd: -1 }", "real.sd: got -1; allowed: a number > 0"),
        ("real: { distribution: normal, mean: [0, 0], covariance: [[1, 2], [2, 1]] }",
         "real.covariance: got 1, 2, 2, 1; allowed: a positive-definite matrix"),
        ("real: { distribution: normal, mean: [0, 0], covariance: [[1, 0.2], [0.3, 1]] }",
         "real.covariance: got [0][1] = 0.2 but [1][0] = 0.3; allowed: a symmetric matrix"),
        ("real: { distribution: normal, mean: [0, 0], sd: [1, 1, 1] }", "real.mean: got lengths 2, 3"),
        ("real: { distribution: student_t, dof: 3, scale: 1e-170 }",
         "real: got a distribution whose covariance (0) is not finite and positive definite"),
        ("real: { distribution: mixture, weights: [0.5, 0.5], means: [-1e160, 1e160], sds: [1, 1] }",
         "real: got a distribution whose covariance (Inf) is not finite"),
        ("real: { distribution: normal, sd: 1e-170 }",
         "real.sd: got sd values whose squares are 0; allowed: sd values whose squares are positive doubles"),
        ("real: { distribution: student_t, dof: 2 }",
         "real.dof: got 2; allowed: a number > 2 (the variance must be finite)"),
        ("real: { distribution: mixture, weights: [0.5, 0.6], means: [0, 1], sds: [1, 1] }",
         "real.weights: got weights summing to 1.1; allowed: weights summing to 1"),
        ("real: { distribution: cauchy }", "real.distribution: got 'cauchy'; allowed: one of normal, student_t, mixture"),
        ("model: { family: vae }", "model.family: got 'vae'; allowed: one of gaussian"),
        ("model: { estimator: ols }", "model.estimator: got 'ols'; allowed: one of mle, unbiased"),
        ("sampling: { temperature: 0 }", "sampling.temperature: got 0; allowed: a number > 0"),
        ("rng: ranlux", "rng: got 'ranlux'; allowed: one of mt19937, xoshiro256starstar"),
        ("metrics: [variance, trace]", "metrics[1]: got 'trace'; allowed: a list of metric names from: authenticity, curated_fraction, dcr_baseline_protection, dcr_overfitting_protection, epsilon_spent, kl, ks, mean"),
        ("name: ../escape", "name: got '../escape'; allowed: letters, digits"),
        ("samples: [1, 2", "config: got malformed YAML; allowed: valid YAML or JSON"),
        ("policy: { kind: mix, real_fraction: 0.05, synthetic_size: 0 }\nsamples: 20",
         "policy: got a training set of 1 points at generation 1; allowed: at least 2 points"),
    ])
    func badInputIsNamed(_ yaml: String, expected: String) {
        let found = errors(yaml)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    @Test func anUnknownPolicyKindIsTheOnlyPolicyError() {
        #expect(errors("policy: { kind: recycle, real_fraction: 0.5 }").count == 1)
    }

    @Test func everyErrorIsReportedAtOnce() {
        let found = errors("samples: -1\nreplicates: 0\nfoo: 1\nsampling: { temperature: -2 }")
        #expect(found.count == 4, "\(found)")
    }

    @Test func badOverridesAreNamed() {
        #expect(errors(Self.valid, overrides: ["samples"]).first?.hasPrefix("--set: got 'samples'") == true)
        #expect(errors(Self.valid, overrides: ["sampling.temperature=-1"])
            .contains("sampling.temperature: got -1; allowed: a number > 0"))
        #expect(errors(Self.valid, overrides: ["name.x=1"]).first?.hasPrefix("name.x: got a path through a string") == true)
    }
}
