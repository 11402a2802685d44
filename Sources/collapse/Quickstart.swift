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

    /// A short table: how variance and tail mass shrink, against the closed form.
    static func table(_ cell: CellResult, config: ExperimentConfig) -> String {
        let G = config.generations
        let step = max(1, G / 10)
        var lines = ["generation   variance (95% CI)           theory E[σ²]   tail_mass_ratio"]
        for g in stride(from: 0, through: G, by: step) {
            guard let v = SummaryTable.summary(cell, metric: .variance, generation: g) else { continue }
            let tail = SummaryTable.summary(cell, metric: .tailMassRatio, generation: g)
            let theory = GaussianTheory.expectedVarianceReplaceMLE(
                sigma0Squared: 1, samples: config.samples, generation: g,
                temperature: config.sampling.temperature)
            lines.append(String(format: "%10d   %.4f [%.4f, %.4f]   %12.4f   %15.4f", g, v.mean, v.ciLow, v.ciHigh,
                                theory, tail?.mean ?? .nan))
        }
        return lines.joined(separator: "\n")
    }
}
