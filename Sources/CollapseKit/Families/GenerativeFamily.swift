/// A kind of generative model the harness can iterate: it draws real data, fits itself
/// to a dataset, samples from itself with a sampling bias, says when the fit is
/// degenerate, and declares its metrics. The chain loop (``ChainLoop``), the policies
/// and the output layer are written once, generic over this protocol; a family is
/// plugged into the config reader by its ``FamilyDescriptor``.
///
/// A family value is built once per cell from the resolved config and shared by
/// every chain of that cell (so it must be immutable). What varies between chains —
/// a regression's true weights and fixed design — is the chain's ``Truth``, drawn
/// from the chain's own stream when the chain starts.
public protocol GenerativeFamily: Sendable {
    /// What the family trains on and generates.
    associatedtype Data: TrainingData
    /// A fitted model.
    associatedtype Model
    /// What one chain knows about the real world (drawn once per chain).
    associatedtype Truth

    /// Draws the chain's truth. Called first, before any real data is drawn; it must
    /// draw nothing from `stream` unless it needs to, so that adding a family does not
    /// shift other families' streams.
    func makeTruth(requested: Set<MetricName>, stream: RandomStream) -> Truth

    /// Draws `count` real observations.
    func drawReal(_ count: Int, truth: Truth, stream: RandomStream) -> Data

    /// Draws the chain's held-out real sample (for metrics that need `.heldout`), right
    /// after the truth and before R₀. By default `count` real draws.
    func drawHeldout(_ count: Int, truth: Truth, stream: RandomStream) -> Data

    /// Fits the model to `data`, drawing any randomness the fit needs (a mixture's
    /// k-means++ seeds) from the chain's `stream`. Never traps: degenerate data gives a
    /// model whose ``diagnose(_:)`` says what went wrong.
    func fit(_ data: Data, stream: RandomStream) -> Model

    /// Fits generation `chain.generation` of chain `chain`: what the chain loop calls.
    /// By default ``fit(_:stream:)``; a family that talks to something outside the
    /// process (an external generator) names the chain and generation in its request.
    func fit(_ data: Data, stream: RandomStream, chain: ChainIdentity) -> Model

    /// Why a fatal ``diagnose(_:)`` of this model happened, in words, for the manifest
    /// (an external generator's error and stderr); nil by default.
    func failureMessage(_ model: Model) -> String?

    /// Degenerate conditions of a fitted model, empty when healthy.
    func diagnose(_ model: Model) -> [ChainEvent.Kind]

    /// Draws `count` observations from the model under the family's sampling bias.
    func sample(_ model: Model, count: Int, truth: Truth, stream: RandomStream) -> Data

    /// The log-density (or log-probability) of each observation of `data` under the
    /// model, for policy steps that score points; nil for a family without one.
    func logDensity(_ model: Model, of data: Data) -> [Double]?

    /// The metrics available for this family fitted to `real` (every metric its config
    /// may request, and its default `metrics:`), each with what it needs.
    static func metrics(real: RealDataConfig) -> [Metric<Self>]
}

extension GenerativeFamily {
    public func drawHeldout(_ count: Int, truth: Truth, stream: RandomStream) -> Data {
        drawReal(count, truth: truth, stream: stream)
    }

    public func logDensity(_ model: Model, of data: Data) -> [Double]? { nil }

    public func fit(_ data: Data, stream: RandomStream, chain: ChainIdentity) -> Model { fit(data, stream: stream) }

    public func failureMessage(_ model: Model) -> String? { nil }
}

/// Which chain and generation a fit belongs to: the cell's id (16 hex digits, the
/// `cell` column of the output files), the replicate and the generation t.
public struct ChainIdentity: Sendable, Equatable {
    public var cell: String
    public var replicate: Int
    public var generation: Int

    public init(cell: String, replicate: Int, generation: Int) {
        self.cell = cell
        self.replicate = replicate
        self.generation = generation
    }

    /// `<cell>-<replicate>`: the chain's name in an external generator's request.
    public var chainName: String { "\(cell)-\(replicate)" }
}

/// Something that happened to a chain, recorded in the manifest.
public struct ChainEvent: Equatable, Sendable {
    /// What happened (the `kind` of a manifest event; the names are a contract).
    public enum Kind: String, Sendable, CaseIterable {
        /// The fitted variance (d = 1) reached exactly zero: the model is a point mass.
        case varianceCollapsed = "variance_collapsed"
        /// The fitted covariance (d > 1) is not positive definite; sampling uses its
        /// positive semi-definite square root. (`copula`: the normal scores'
        /// correlation matrix was singular or had an eigenvalue below 10⁻⁸, and was
        /// repaired by eigenvalue clipping.)
        case singularCovariance = "singular_covariance"
        /// A categorical model has one category left (Wright–Fisher fixation): it
        /// can only ever generate that category again.
        case supportCollapsed = "support_collapsed"
        /// A mixture component's covariance fell to the `regularization` floor: it sits
        /// on (nearly) a single point.
        case componentCollapsed = "component_collapsed"
        /// A mixture component received no responsibility in EM and has weight 0.
        case emptyComponent = "empty_component"
        /// The regression design matrix is rank deficient; the least-squares solution
        /// is the minimum-norm one.
        case singularDesign = "singular_design"
        /// A fitted parameter is NaN or infinite: the chain stops here.
        case nonFiniteParameters = "non_finite_parameters"
        /// The `output.collapse` metric crossed its threshold (a measurement, not a
        /// degenerate fit: it leaves the chain's status alone).
        case thresholdCrossed = "threshold_crossed"
        /// An external generator (`model.family: external`) crashed, timed out, replied
        /// malformed JSON or an error, or wrote an invalid output file: the chain stops
        /// here, and the event's message says which and carries the program's stderr tail.
        case generatorFailed = "generator_failed"
        /// `policy.curate` reached `max_draws` × the synthetic count before enough
        /// candidates passed: the training set has fewer synthetic points (a measurement).
        case curationExhausted = "curation_exhausted"
        /// `policy.upsample` reached `max_draws` × the synthetic count before both
        /// strata were full (a measurement).
        case upsampleExhausted = "upsample_exhausted"
        /// The policy steps left the next training set without a single point: the
        /// chain stops here.
        case emptyTrainingSet = "empty_training_set"

        /// True when the chain cannot go on.
        public var isFatal: Bool { self == .nonFiniteParameters || self == .generatorFailed || self == .emptyTrainingSet }
        /// True for an event that reports a measurement rather than a degenerate fit.
        public var isMeasurement: Bool { self == .thresholdCrossed || self == .curationExhausted || self == .upsampleExhausted }
    }

    public var kind: Kind
    public var replicate: Int
    public var generation: Int
    /// What went wrong, in words (`generator_failed`: the failure and the program's
    /// stderr tail); nil for the events whose kind says it all.
    public var message: String?

    public init(kind: Kind, replicate: Int, generation: Int, message: String? = nil) {
        self.kind = kind
        self.replicate = replicate
        self.generation = generation
        self.message = message
    }
}
