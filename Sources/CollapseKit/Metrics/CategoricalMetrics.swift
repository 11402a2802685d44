import Foundation

/// Closed-form metrics of a fitted categorical model p̂ against the real
/// distribution p, all exact sums over the K categories (nothing is estimated from
/// the generated sample). They are computed on the fitted p̂, not on the biased
/// sampling distribution q (temperature, top_k, top_p), so they describe what each
/// generation learned; the bias shows up from the next generation on.
///
/// - `support_size`: #{k : p̂_k > 0}.
/// - `lost_mass`: Σ_{k : p̂_k = 0} p_k, the real mass the model can never generate.
/// - `tail_mass_retained`: the model's mass on the real tail set (the rarest
///   categories holding 10% of the real mass, ``CategoricalReference``) divided by
///   0.1: 1 when p̂ = p, 0 when the tail is gone.
/// - `entropy`: −Σ p̂_k log p̂_k (nats).
/// - `heterozygosity`: 1 − Σ p̂_k², the probability that two draws differ
///   (Wright–Fisher's H).
/// - `tv`: ½ Σ |p̂_k − p_k|.
/// - `kl`: KL(real ‖ model) = Σ_{p_k > 0} p_k log(p_k / p̂_k), +∞ as soon as the model
///   has lost a category of positive real mass (the Gaussian family's direction);
///   rounding below 0 is clamped to 0.
///
/// - Complexity: O(K).
public enum CategoricalMetrics {
    public static func compute(model q: [Double], real: CategoricalReference,
                               requested: Set<MetricName>, into values: inout MetricValues) {
        let wantEntropy = requested.contains(.entropy), wantKL = requested.contains(.kl)
        var support = 0, lost = 0.0, entropy = 0.0, squares = 0.0, tv = 0.0, kl = 0.0
        q.withUnsafeBufferPointer { q in
            real.probabilities.withUnsafeBufferPointer { p in
                for k in 0..<q.count {
                    let qk = q[k], pk = p[k]
                    if qk > 0 {
                        support += 1
                        squares += qk * qk
                        if wantEntropy { entropy -= qk * log(qk) }
                        if wantKL, pk > 0 { kl += pk * log(pk / qk) }
                    } else {
                        lost += pk
                    }
                    tv += abs(qk - pk)
                }
            }
        }
        values[.supportSize] = Double(support)
        values[.lostMass] = lost
        values[.tailMassRetained] = real.tailMass(of: q) / CategoricalReference.tailMass
        values[.entropy] = entropy
        values[.heterozygosity] = 1 - squares
        values[.tv] = tv / 2
        values[.kl] = lost > 0 ? .infinity : max(kl, 0)
    }
}
