/// A kind of generative model the harness can iterate: it fits itself to a dataset,
/// samples from itself with a sampling bias, says when the fit is degenerate, and
/// measures its own fitted parameters against the real distribution. The runner,
/// policies and output layer are written once, generic over this protocol.
public protocol GenerativeFamily: Sendable {
    associatedtype Model

    /// The metrics this family can report, sorted by name.
    var availableMetrics: [MetricName] { get }

    /// Fits the model to `data` (never traps: degenerate data gives a model whose
    /// ``diagnose(_:)`` says what went wrong).
    func fit(_ data: Dataset) -> Model

    /// Degenerate conditions of a fitted model, empty when healthy.
    func diagnose(_ model: Model) -> [ChainEvent.Kind]

    /// Draws `count` points from the model under the family's sampling bias.
    func sample(_ model: Model, count: Int, stream: RandomStream) -> Dataset

    /// Fills the model-based metrics.
    func modelMetrics(_ model: Model, real: RealReference, requested: Set<MetricName>,
                      into values: inout MetricValues)
}

/// Something that happened to a chain, recorded in the manifest.
public struct ChainEvent: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The fitted variance (d = 1) reached exactly zero: the model is a point mass.
        case varianceCollapsed = "variance_collapsed"
        /// The fitted covariance (d > 1) is not positive definite; sampling uses its
        /// positive semi-definite square root.
        case singularCovariance = "singular_covariance"
        /// A fitted parameter is NaN or infinite: the chain stops here.
        case nonFiniteParameters = "non_finite_parameters"

        /// True when the chain cannot go on.
        public var isFatal: Bool { self == .nonFiniteParameters }
    }

    public var kind: Kind
    public var replicate: Int
    public var generation: Int
}
