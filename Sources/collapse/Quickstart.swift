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

    /// A short table of how the variance and the tails shrink. The mean tail mass is
    /// pulled up by chains whose mean drifted far, so the median is shown beside it;
    /// the closed form E[σ²_t] = σ₀²λ^t((n−1)/n)^(t+1) is shown where it applies
    /// (normal real data, maximum likelihood, replace).
    static func table(_ cell: CellResult, config: ExperimentConfig) -> String {
        let G = config.generations
        let step = max(1, G / 10)
        var sigma0Squared: Double?
        if let normal = config.real.spec as? NormalRealData, config.dimension == 1,
           (config.model.options as? GaussianDescriptor.Options)?.estimator == .mle,
           config.policy.rule is ReplacePolicy { sigma0Squared = normal.covariance[0, 0] }
        var lines = ["generation   variance mean [95% CI]      theory E[σ²]   tail_mass_ratio median   mean"]
        for g in stride(from: 0, through: G, by: step) {
            guard let v = SummaryTable.summary(cell, metric: .variance, generation: g) else { continue }
            let tails = cell.values(of: .tailMassRatio, generation: g)
            let theory = sigma0Squared.map {
                String(format: "%12.4f", GaussianTheory.expectedVarianceReplaceMLE(
                    sigma0Squared: $0, samples: config.samples, generation: g, temperature: config.sampling.temperature))
            } ?? String(repeating: " ", count: 11) + "–"
            lines.append(String(format: "%10d   %.4f [%.4f, %.4f]   %@   %22.4f   %.4f", g, v.mean, v.ciLow, v.ciHigh,
                                theory, Statistics.median(tails.filter { $0.isFinite }),
                                SummaryTable.summarize(tails).mean))
        }
        return lines.joined(separator: "\n")
    }
}
