import Foundation

/// Closed-form expectations for the categorical family (empirical frequencies, no
/// smoothing, no sampling bias), used by `collapse theory` and the report.
public enum CategoricalTheory {
    /// E[1 − Σ p̂²] after t+1 multinomial draws of size n, each from the previous
    /// draw's frequencies: (1 − 1/n)^(t+1) (1 − Σ p²). Wright–Fisher heterozygosity
    /// decay (Wright 1931, Genetics 16; Ewens 2004, "Mathematical Population Genetics",
    /// eq. 1.47 for the haploid model); generation 0 is already one draw from p.
    public static func expectedHeterozygosity(probabilities p: [Double], samples n: Int, generation t: Int) -> Double {
        let h = 1 - p.reduce(0) { $0 + $1 * $1 }
        return pow(1 - 1 / Double(n), Double(t + 1)) * h
    }

    /// E[support_size] and E[lost_mass] of n i.i.d. draws from p: category k is missing
    /// with probability (1 − p_k)^n (the occupancy problem; Feller, "An Introduction to
    /// Probability Theory and Its Applications", vol. 1, §II.11; the finite-sampling
    /// error of Shumailov et al. 2024).
    public static func occupancy(probabilities p: [Double], samples n: Int) -> (support: Double, lostMass: Double) {
        var support = 0.0, lost = 0.0
        for pk in p {
            let missing = pow(1 - pk, Double(n))
            support += 1 - missing
            lost += pk * missing
        }
        return (support, lost)
    }

    /// E[support_size] and E[lost_mass] of n rows drawn without replacement from a file
    /// of N rows, N_k of category k: category k is missing with the hypergeometric
    /// probability C(N − N_k, n)/C(N, n).
    public static func occupancyWithoutReplacement(counts: [Int], samples n: Int) -> (support: Double, lostMass: Double) {
        let total = counts.reduce(0, +)
        let logChoose = { (a: Int, b: Int) in lgamma(Double(a + 1)) - lgamma(Double(b + 1)) - lgamma(Double(a - b + 1)) }
        var support = 0.0, lost = 0.0
        for c in counts {
            let missing = total - c >= n ? exp(logChoose(total - c, n) - logChoose(total, n)) : 0
            support += 1 - missing
            lost += Double(c) / Double(total) * missing
        }
        return (support, lost)
    }

    /// The categorical family's curves (``Theory/curves(for:)``), when smoothing is 0 and
    /// sampling is unbiased (temperature 1, no truncation):
    /// - every policy: generation 0 fits n real draws, so support_size₀ and lost_mass₀
    ///   follow ``occupancy(probabilities:samples:)``;
    /// - `accumulate`: the pool always holds generation 0's real draws and the model
    ///   draws only categories it has, so support and lost mass stay at generation 0's;
    /// - `replace`: heterozygosity decays as Wright–Fisher at every generation.
    static func curves(_ config: ExperimentConfig, smoothing: Double) -> [TheoryCurve] {
        guard smoothing == 0, config.sampling.temperature == 1, config.sampling.topK == 0,
              config.sampling.topP == 1, let p = config.real.probabilities else { return [] }
        let G = config.generations, n = config.samples
        // A file's rows are drawn without replacement (hypergeometric occupancy, and the
        // finite-population factor N/(N − 1) on generation 0's heterozygosity); a text
        // corpus's tokens come in documents, for which no closed form is known.
        let population = config.real.spec.categoryPopulation
        if population?.starts != nil { return [] }
        let rows = population?.tokens.count
        let zero = population.map { occupancyWithoutReplacement(counts: $0.counts(categories: p.count), samples: n) }
            ?? occupancy(probabilities: p, samples: n)
        let finitePopulation = rows.map { Double($0) / Double($0 - 1) } ?? 1
        let generations = config.policy.rule is AccumulatePolicy ? G + 1 : 1
        // Category k is missing from generation 0's draw with probability (1 − p_k)^n, or
        // C(N − N_k, n)/C(N, n) for n of a file's N rows.
        let missing = rows == nil ? "(1 − p_k)^n" : "C(N − N_k, n)/C(N, n)"
        let occupancy = rows == nil ? "occupancy of n draws (Feller vol. 1 §II.11)"
                                    : "occupancy of n rows drawn without replacement from the file's N rows (hypergeometric)"
        let kept = generations > 1 ? "; accumulate keeps generation 0's support" : ""
        var out = [
            TheoryCurve(metric: .supportSize, values: Array(repeating: zero.support, count: generations),
                        source: "\(occupancy): E[support_size₀] = Σ_k [1 − \(missing)]\(kept)"),
            TheoryCurve(metric: .lostMass, values: Array(repeating: zero.lostMass, count: generations),
                        source: "\(occupancy): E[lost_mass₀] = Σ_k p_k·\(missing)\(kept)"),
        ]
        let heterozygosityGenerations = config.policy.rule is ReplacePolicy ? G + 1 : 1
        out.append(TheoryCurve(
            metric: .heterozygosity,
            values: (0..<heterozygosityGenerations).map { finitePopulation * expectedHeterozygosity(probabilities: p, samples: n, generation: $0) },
            source: "Wright–Fisher heterozygosity decay, E[H_t] = (1 − 1/n)^(t+1)(1 − Σp²) (Wright 1931; Ewens 2004 eq. 1.47)"
                + (rows.map { "; × N/(N − 1) = \($0)/\($0 - 1) for generation 0's draw without replacement from the file" } ?? "")))
        return out
    }
}
