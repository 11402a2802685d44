import Foundation

/// The Gaussian mixture family: Σⱼ wⱼ N(μⱼ, Σⱼ) with k = `components` full or diagonal
/// covariances, fitted by EM from k-means++ seeds (``GaussianMixtureEM``, as
/// scikit-learn's `GaussianMixture`). This is the GMM of Shumailov et al. (2024),
/// refitted each generation on its own samples. Sampling temperature λ scales every
/// component covariance: components are drawn from N(μⱼ, λΣⱼ) (Alemohammad et al.
/// 2024's sampling bias).
///
/// Events: `empty_component` (a component got no responsibility; weight 0, never
/// sampled), `component_collapsed` (a component's unregularised covariance fell to the
/// `regularization` floor), `singular_covariance` (d > 1: a component in use is not
/// positive definite, possible only with `regularization` 0), `non_finite_parameters`.
///
/// Metrics (``MixtureMetrics``) as for `kde`, plus `min_weight` and `modes_retained`
/// (1-D mixture real data) from the fitted weights and means.
///
/// Randomness of the fit: ``GenerativeFamily/fit(_:)`` receives no stream, so the
/// k-means++ seeding draws from a stream keyed by the training set itself (FNV-1a of
/// its bits, see ``fitStreamKey(_:)``). The training set is a function of the chain's
/// own draws, so fits stay reproducible and independent of worker count.
public struct GaussianMixtureFamily: MixtureFamily {
    public let real: RealReference
    public let options: ModelConfig.MixtureOptions
    public let temperature: Double
    public let heldout: Int

    public init(real: RealReference, options: ModelConfig.MixtureOptions, temperature: Double, heldout: Int) {
        self.real = real
        self.options = options
        self.temperature = temperature
        self.heldout = heldout
    }

    public func fit(_ data: Dataset) -> FittedMixture {
        fit(data, stream: RandomStream(key: Self.fitStreamKey(data, components: options.components)))
    }

    /// Fits with k-means++ draws from `stream`.
    public func fit(_ data: Dataset, stream: RandomStream) -> FittedMixture {
        let result = GaussianMixtureEM(options: options).fit(data, stream: stream)
        let model = result.model
        var events: [ChainEvent.Kind] = []
        guard model.isFinite else { return FittedMixture(mixture: model, events: [.nonFiniteParameters]) }
        if result.empty.contains(true) { events.append(.emptyComponent) }
        if result.collapsed.contains(true) { events.append(.componentCollapsed) }
        if dimension > 1, (0..<model.componentCount).contains(where: { !result.empty[$0] && !model.positiveDefinite[$0] }) {
            events.append(.singularCovariance)
        }
        return FittedMixture(mixture: model, events: events)
    }

    /// The key of a fit's k-means++ stream: FNV-1a 64 over the training set's IEEE bits
    /// (little-endian bytes), with the component count and a fixed tag ("kmeans++").
    static func fitStreamKey(_ data: Dataset, components: Int) -> StreamKey {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        data.values.withUnsafeBufferPointer { p in
            for v in p {
                var bits = v.bitPattern
                for _ in 0..<8 {
                    h ^= bits & 0xff
                    h = h &* 0x0000_0100_0000_01b3
                    bits >>= 8
                }
            }
        }
        return StreamKey(seed: h, cell: 0x6b6d_6561_6e73_2b2b, replicate: UInt64(components))
    }

    public func sample(_ model: FittedMixture, count: Int, truth: HeldoutSample, stream: RandomStream) -> Dataset {
        Dataset(values: model.mixture.sample(count: count, noiseScale: temperature.squareRoot(), stream: stream),
                dimension: dimension)
    }
}
