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
    /// the closed form of E[σ²_t] (``Theory/curves(for:)``: σ₀²λ^t((n−1)/n)^(t+1) for the
    /// quickstart's maximum-likelihood Gaussian under replace) is shown where one holds.
    static func table(_ cell: CellResult, config: ExperimentConfig) -> String {
        let G = config.generations
        let step = max(1, G / 10)
        let variance = Theory.curves(for: config).first { $0.metric == .variance }
        var lines = ["generation   variance mean [95% CI]      theory E[σ²]   tail_mass_ratio median   mean"]
        for g in stride(from: 0, through: G, by: step) {
            guard let v = SummaryTable.summary(cell, metric: .variance, generation: g) else { continue }
            let tails = cell.values(of: .tailMassRatio, generation: g)
            let theory = variance.map { String(format: "%12.4f", $0.values[g]) } ?? String(repeating: " ", count: 11) + "–"
            lines.append(String(format: "%10d   %.4f [%.4f, %.4f]   %@   %22.4f   %.4f", g, v.mean, v.ciLow, v.ciHigh,
                                theory, Statistics.median(tails.filter { $0.isFinite }),
                                SummaryTable.summarize(tails).mean))
        }
        return lines.joined(separator: "\n")
    }
}
