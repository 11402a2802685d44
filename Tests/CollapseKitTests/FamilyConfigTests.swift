import Testing
@testable import CollapseKit

/// The config surface of the model families: defaults, family/real pairing, options
/// that belong to another family, and the resolved config reading back to itself.
struct FamilyConfigTests {
    static let families: [(yaml: String, model: ModelConfig)] = [
        ("model: { family: gaussian }\nreal: { distribution: normal }", .gaussian(estimator: .mle)),
        ("model: { family: categorical }\nreal: { distribution: zipf, categories: 50, exponent: 1.1 }",
         .categorical(smoothing: 0)),
        ("model: { family: kde }\nreal: { distribution: normal }", .kde(bandwidth: .scott)),
        ("model: { family: gmm }\nreal: { distribution: mixture, weights: [0.5, 0.5], means: [-2, 2], sds: [1, 1] }",
         .gmm(.init(components: 2, covariance: .full, maxIterations: 100, tolerance: 1e-3, regularization: 1e-6))),
        ("model: { family: linear_regression }\nreal: { distribution: linear, dimension: 3 }",
         .linearRegression(design: .fixed)),
    ]

    @Test(arguments: families.indices)
    func defaultsResolveAndReadBack(_ i: Int) throws {
        let (yaml, model) = Self.families[i]
        let config = try TestRun.config(yaml)
        #expect(config.model == model)
        #expect(config.metrics == MetricName.available(model: model, real: config.real))
        let again = try ConfigLoader.validate(config.jsonValue)
        #expect(again == config)
        #expect(again.hash == config.hash)
    }

    @Test func optionsReachTheModel() throws {
        let c = try TestRun.config("""
            model: { family: gmm, components: 3, covariance: diagonal, max_iterations: 7, tolerance: 0, regularization: 0.01 }
            real: { distribution: normal, mean: [0, 0], sd: [1, 2] }
            heldout: 250
            """)
        #expect(c.model == .gmm(.init(components: 3, covariance: .diagonal, maxIterations: 7, tolerance: 0,
                                      regularization: 0.01)))
        #expect(c.heldout == 250)
        #expect(c.metrics.contains(.nllHeldout) && c.metrics.contains(.trace) && !c.metrics.contains(.w2))
        #expect(!c.metrics.contains(.modesRetained), "modes_retained needs a mixture real distribution")
        let k = try TestRun.config("model: { family: kde, bandwidth: 0.25 }\nreal: { distribution: student_t, dof: 5 }")
        #expect(k.model == .kde(bandwidth: .fixed(0.25)))
        let s = try TestRun.config("""
            model: { family: categorical, smoothing: 0.5 }
            real: { distribution: categorical, probabilities: [0.5, 0.3, 0.2] }
            sampling: { temperature: 0.7, top_k: 2, top_p: 0.9 }
            """)
        #expect(s.sampling == SamplingConfig(temperature: 0.7, topK: 2, topP: 0.9))
        #expect(s.real.probabilities == [0.5, 0.3, 0.2])
    }

    @Test func zipfAndUniformProbabilities() throws {
        let z = try #require(RealDataConfig.zipf(categories: 3, exponent: 1).probabilities)
        let h = 1 + 1.0 / 2 + 1.0 / 3
        expectElementwise(z, [1 / h, 0.5 / h, (1.0 / 3) / h], within: 1e-15)
        #expect(RealDataConfig.uniform(categories: 4).probabilities == [0.25, 0.25, 0.25, 0.25])
    }

    @Test(arguments: [
        ("model: { family: vae }",
         "model.family: got 'vae'; allowed: one of gaussian, categorical, kde, gmm, linear_regression, copula, ngram, external"),
        ("model: { family: categorical }",
         "real.distribution: got 'normal' with model.family categorical; allowed: one of uniform, zipf, categorical, table, text for model.family categorical"),
        ("model: { family: gaussian }\nreal: { distribution: zipf, categories: 10 }",
         "real.distribution: got 'zipf' with model.family gaussian; allowed: one of normal, student_t, mixture, table for model.family gaussian"),
        ("model: { family: linear_regression }\nreal: { distribution: normal }",
         "real.distribution: got 'normal' with model.family linear_regression; allowed: one of linear"),
        ("model: { family: kde, estimator: mle }",
         "model.estimator: got a value with model.family kde; allowed: estimator only with model.family gaussian"),
        ("model: { family: kde, bandwidth: 0 }",
         "model.bandwidth: got 0; allowed: scott, silverman or a kernel standard deviation > 0"),
        ("model: { family: kde, bandwidth: wide }",
         "model.bandwidth: got 'wide'; allowed: scott, silverman or a kernel standard deviation > 0"),
        ("model: { family: gmm, components: 0 }", "model.components: got 0; allowed: an integer in 1 … 10000"),
        ("model: { family: gmm, covariance: tied }", "model.covariance: got 'tied'; allowed: one of full, diagonal"),
        ("model: { family: categorical, smoothing: -1 }\nreal: { distribution: uniform, categories: 5 }",
         "model.smoothing: got -1; allowed: a number ≥ 0"),
        ("model: { family: categorical }\nreal: { distribution: uniform, categories: 5 }\nsampling: { top_p: 0 }",
         "sampling.top_p: got 0; allowed: a number in (0, 1]"),
        ("model: { family: categorical }\nreal: { distribution: uniform, categories: 5 }\nsampling: { top_p: 1.5 }",
         "sampling.top_p: got 1.5; allowed: a number in (0, 1]"),
        ("sampling: { top_k: 5 }",
         "sampling.top_k: got a value with model.family gaussian; allowed: top_k only with model.family categorical or ngram"),
        ("heldout: 10", "heldout: got a value with model.family gaussian; allowed: heldout only with model.family kde or gmm or copula or external, or with one of dcr_overfitting_protection, mia_advantage, mia_auc, mia_epsilon_lower, mia_tpr_at_low_fpr in metrics"),
        ("model: { family: kde }\nheldout: 0", "heldout: got 0; allowed: an integer in 1 … 2147483647"),
        ("model: { family: categorical }\nreal: { distribution: uniform, categories: 1 }",
         "real.categories: got 1; allowed: an integer in 2 … 100000000"),
        ("model: { family: categorical }\nreal: { distribution: categorical, probabilities: [0.5, 0.4] }",
         "real.probabilities: got 2 probabilities summing to 0.9; allowed: a list of at least 2 numbers > 0 summing to 1"),
        ("model: { family: linear_regression }\nreal: { distribution: linear, dimension: 10 }\nsamples: 10",
         "samples: got 10; allowed: at least 11 (dimension + 1) to fit 10 weights by least squares and estimate the noise"),
        ("model: { family: linear_regression }\nreal: { distribution: linear, dimension: 2, weights: [1] }",
         "real.weights: got 1 weights; allowed: exactly 2 weights (real.dimension)"),
        ("model: { family: linear_regression }\nreal: { distribution: linear }",
         "real.dimension: got nothing; allowed: an integer in 1 … 10000"),
        ("model: { family: categorical }\nreal: { distribution: uniform, categories: 5 }\nmetrics: [variance]",
         "metrics[0]: got 'variance'; allowed: a list of metric names from: authenticity, curated_fraction, dcr_baseline_protection, dcr_overfitting_protection, entropy, epsilon_spent, heterozygosity, kl, lost_mass"),
    ])
    func badFamilyInputIsNamed(_ yaml: String, expected: String) throws {
        let found: [String]
        do {
            _ = try TestRun.config(yaml)
            found = []
        } catch let e as ConfigErrors {
            found = e.errors.map(\.description)
        }
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }
}
