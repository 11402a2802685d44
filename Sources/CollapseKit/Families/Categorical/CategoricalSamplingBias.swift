import Foundation

/// The sampling bias of the categorical family: how a fitted distribution p̂ becomes
/// the distribution q the model generates from, applied in this order:
///
/// 1. temperature T: q ∝ p̂^(1/T) (computed as (p̂_k / max p̂)^(1/T), so a zero
///    stays exactly zero for every T and nothing overflows);
/// 2. `top_k`: keep the k most probable categories (0 keeps all);
/// 3. `top_p`: nucleus truncation (Holtzman et al., "The Curious Case of Neural Text
///    Degeneration", ICLR 2020): keep the smallest set of most probable categories
///    whose cumulative mass reaches p (1 keeps all);
///
/// renormalising after each step. "Most probable" orders categories by probability,
/// ties broken by the lower index first, so the result is deterministic.
public struct CategoricalSamplingBias: Equatable, Sendable {
    public var temperature: Double
    public var topK: Int
    public var topP: Double

    /// Relative slack when comparing a cumulative mass with `top_p`, so that a sum
    /// which reaches p exactly in real arithmetic is not pushed past it by rounding.
    static let cumulativeTolerance = 1e-12

    public init(temperature: Double = 1, topK: Int = 0, topP: Double = 1) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// True when q = p̂ (T = 1, no truncation).
    public var isIdentity: Bool { temperature == 1 && topK == 0 && topP >= 1 }

    /// The sampling distribution q for the probabilities `p` (non-negative, summing
    /// to 1). Returns `p` itself when there is no bias.
    /// - Complexity: O(K) without truncation; O(K + s log s) with `top_k` or `top_p`,
    ///   s the number of categories with q > 0.
    public func apply(_ p: [Double]) -> [Double] {
        if isIdentity { return p }
        var q = p
        if temperature != 1 { applyTemperature(&q) }
        if topK > 0 || topP < 1 {
            // Categories of positive mass, most probable first (ties: lower index).
            var order = q.indices.filter { q[$0] > 0 }
            order.sort { q[$0] > q[$1] || (q[$0] == q[$1] && $0 < $1) }
            var kept = order.count
            if topK > 0 { kept = min(kept, topK) }
            if topP < 1 {
                let total = order[0..<kept].reduce(0) { $0 + q[$1] }
                let target = topP * total * (1 - Self.cumulativeTolerance)
                var cumulative = 0.0
                for (i, k) in order[0..<kept].enumerated() {
                    cumulative += q[k]
                    if cumulative >= target { kept = i + 1; break }
                }
            }
            for k in order[kept...] { q[k] = 0 }
            Self.normalise(&q)
        }
        return q
    }

    private func applyTemperature(_ q: inout [Double]) {
        let top = q.max() ?? 0
        guard top > 0 else { return }
        let exponent = 1 / temperature
        for k in q.indices where q[k] > 0 { q[k] = pow(q[k] / top, exponent) }
        Self.normalise(&q)
    }

    static func normalise(_ q: inout [Double]) {
        let total = q.reduce(0, +)
        guard total > 0 else { return }
        for k in q.indices { q[k] /= total }
    }
}
