/// A chain's held-out real sample (the ``GenerativeFamily/Truth`` of the kde and gmm
/// families): `heldout` points drawn from the real distribution once, when the chain
/// starts, and never trained on. `nll_heldout` and the Monte Carlo `kl` average over
/// it. It is drawn only when one of those metrics is requested, so other metric
/// choices leave the chain's random draws unchanged.
public struct HeldoutSample: Sendable {
    /// The points (m×d row-major), or nil when not drawn.
    public let points: Dataset?
    /// (1/m) Σᵢ log p_real(xᵢ), the real half of the KL estimate; NaN when not drawn.
    public let meanRealLogDensity: Double

    /// Draws `count` points from `real` when `requested` holds `nll_heldout` or `kl`,
    /// nothing otherwise.
    public init(real: RealReference, count: Int, requested: Set<MetricName>, stream: RandomStream) {
        guard requested.contains(.nllHeldout) || requested.contains(.kl) else {
            points = nil
            meanRealLogDensity = .nan
            return
        }
        let values = real.distribution.sample(count: count, stream: stream)
        points = Dataset(values: values, dimension: real.dimension)
        meanRealLogDensity = real.distribution.meanLogDensity(values)
    }

    /// A given held-out sample (for tests and hand-checked values).
    init(points: Dataset, real: RealReference) {
        self.points = points
        meanRealLogDensity = real.distribution.meanLogDensity(points.values)
    }
}
