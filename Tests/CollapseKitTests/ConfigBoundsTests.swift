import Testing
@testable import CollapseKit

/// Every size bound the validator enforces is named in its message, both ends.
@Suite struct ConfigBoundsTests {
    @Test(arguments: [
        ("samples: 1000000000000", "samples: got 1000000000000; allowed: an integer in 2 … 2147483647"),
        ("generations: 100000000000", "generations: got 100000000000; allowed: an integer in 0 … 10000000"),
        ("replicates: 10000001", "replicates: got 10000001; allowed: an integer in 1 … 10000000"),
        ("seed: -1", "seed: got -1; allowed: an integer in 0 … 9223372036854775807"),
        ("real: { distribution: normal, dimension: 10001 }",
         "real.dimension: got 10001; allowed: an integer in 1 … 10000"),
        ("model: { family: linear_regression }\nreal: { distribution: linear, dimension: 10001 }",
         "real.dimension: got 10001; allowed: an integer in 1 … 10000"),
        ("model: { family: categorical }\nreal: { distribution: uniform, categories: 100000001 }",
         "real.categories: got 100000001; allowed: an integer in 2 … 100000000"),
        ("model: { family: kde }\nheldout: 2147483648", "heldout: got 2147483648; allowed: an integer in 1 … 2147483647"),
        ("model: { family: categorical }\nreal: { distribution: uniform, categories: 3 }\nsampling: { top_k: 2147483648 }",
         "sampling.top_k: got 2147483648; allowed: an integer in 0 … 2147483647 (0 keeps every category)"),
        ("policy: { kind: mix, real_fraction: 0.5, synthetic_size: 2147483648 }",
         "policy.synthetic_size: got 2147483648; allowed: an integer in 0 … 2147483647"),
        ("model: { family: gmm, components: 10001 }", "model.components: got 10001; allowed: an integer in 1 … 10000"),
        ("model: { family: gmm, max_iterations: 1000001 }",
         "model.max_iterations: got 1000001; allowed: an integer in 1 … 1000000"),
        ("samples: 1e12", "samples: got 1000000000000; allowed: an integer in 2 … 2147483647"),
    ])
    func anOutOfRangeSizeNamesBothBounds(_ yaml: String, expected: String) {
        do {
            _ = try ConfigLoader.parse(text: yaml)
            Issue.record("accepted: \(yaml)")
        } catch let e as ConfigErrors {
            #expect(e.errors.map(\.description).contains(expected), "\(e)")
        } catch {
            Issue.record("\(error)")
        }
    }
}
