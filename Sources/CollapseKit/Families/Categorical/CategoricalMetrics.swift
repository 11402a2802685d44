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
    typealias Context = MetricContext<CategoricalFamily>

    /// The seven metrics; support, lost mass, Σp̂² and TV come from one shared O(K)
    /// pass (``Summary``), entropy and KL from their own.
    static let all: [Metric<CategoricalFamily>] = [
        Metric(.supportSize) { Double(summary($0).support) },
        Metric(.lostMass) { summary($0).lost },
        Metric(.tailMassRetained) { $0.family.real.tailMass(of: $0.model.probabilities) / CategoricalReference.tailMass },
        Metric(.entropy) { entropy($0.model.probabilities) },
        Metric(.heterozygosity) { 1 - summary($0).squares },
        Metric(.tv) { summary($0).tv / 2 },
        Metric(.kl) { c in summary(c).lost > 0 ? .infinity : max(klSum(model: c.model.probabilities, real: c.family.real), 0) },
    ]

    /// Support size, lost mass, Σp̂² and Σ|p̂ − p|.
    public struct Summary: Sendable {
        public var support = 0, lost = 0.0, squares = 0.0, tv = 0.0
    }

    static let summaryKey = SharedValue<Summary>()

    static func summary(_ c: Context) -> Summary {
        c.shared(summaryKey) { summary(model: c.model.probabilities, real: c.family.real) }
    }

    /// One pass over the K categories.
    /// - Complexity: O(K).
    public static func summary(model q: [Double], real: CategoricalReference) -> Summary {
        var s = Summary()
        q.withUnsafeBufferPointer { q in
            real.probabilities.withUnsafeBufferPointer { p in
                for k in 0..<q.count {
                    let qk = q[k], pk = p[k]
                    if qk > 0 {
                        s.support += 1
                        s.squares += qk * qk
                    } else {
                        s.lost += pk
                    }
                    s.tv += abs(qk - pk)
                }
            }
        }
        return s
    }

    /// −Σ p̂_k log p̂_k over the support.
    static func entropy(_ q: [Double]) -> Double {
        var h = 0.0
        for qk in q where qk > 0 { h -= qk * log(qk) }
        return h
    }

    /// Σ_{p_k, p̂_k > 0} p_k log(p_k / p̂_k).
    static func klSum(model q: [Double], real: CategoricalReference) -> Double {
        var kl = 0.0
        for k in 0..<q.count where q[k] > 0 && real.probabilities[k] > 0 {
            kl += real.probabilities[k] * log(real.probabilities[k] / q[k])
        }
        return kl
    }
}
