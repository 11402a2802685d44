import CollapseKit
import Foundation

/// The experiment `collapse run` runs without a config: Shumailov et al.'s 1-D
/// Gaussian refitted on its own samples.
enum Quickstart {
    static let yaml = """
    name: quickstart
    seed: 1
    replicates: 100
    generations: 100
    samples: 100
    model: { family: gaussian, estimator: mle }
    real: { distribution: normal, mean: 0.0, sd: 1.0 }
    policy: { kind: replace }
    sampling: { temperature: 1.0 }
    """
}
