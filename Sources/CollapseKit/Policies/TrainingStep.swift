/// A step applied to the synthetic part of every training set before it is used (t ≥ 1):
/// the place for curation, human review and stratified upsampling. A step sees the
/// points the policy takes from the latest output and may call the current model
/// through ``ModelHooks``: score points, draw more of them, and decide with the chain's
/// stream which to keep. Steps are configured by keys of `policy:` and registered by a
/// ``TrainingStepKind``; a config with a step runs on points (not exact statistics).
public protocol TrainingStep: Sendable {
    /// Its key in `policy:`.
    var key: String { get }
    /// Its resolved options (the value of `policy.<key>` in the resolved config).
    var jsonValue: JSONValue { get }
    /// The synthetic part after the step. `target` is the count the policy asked for.
    func apply<Hooks: ModelHooks>(_ synthetic: Hooks.Data, target: Int, hooks: Hooks) -> Hooks.Data
    /// The step bound to the run's real data (what it judges against, fixed for the
    /// run), or the config error saying why the data does not fit it. Default: itself.
    func bind(_ binding: StepBinding) -> Result<any TrainingStep, ConfigError>
    /// The yes/no region `rule_violation_rate` measures the raw output against, if any.
    var region: RowTest? { get }
}

extension TrainingStep {
    public func bind(_ binding: StepBinding) -> Result<any TrainingStep, ConfigError> { .success(self) }
    public var region: RowTest? { nil }
}

/// What a ``TrainingStep`` may ask of the current generation's model, all from the
/// chain's own stream.
public protocol ModelHooks {
    associatedtype Data: TrainingData
    /// The generation whose output is being used (t − 1 for training set t).
    var generation: Int { get }
    /// The chain's stream (for the step's own accept/reject draws).
    var stream: RandomStream { get }
    /// `count` more points from the model, under its sampling bias.
    func draw(_ count: Int) -> Data
    /// The model's log-density of each point, nil when the family has none.
    func logDensity(_ data: Data) -> [Double]?
    /// Records an event of the chain (the first generation of each kind is kept).
    func record(_ event: ChainEvent.Kind)
    /// Reports a step metric (`curated_fraction`, `review_cost`) of the training set being
    /// built: the next generation's row carries it.
    func report(_ metric: MetricName, _ value: Double)
}

/// A step's config key and parser, for the registry.
public protocol TrainingStepKind: Sendable {
    /// The key under `policy:` that turns the step on.
    var key: String { get }
    /// Reads `policy.<key>` (a map reader); nil on error.
    func parse(_ reader: ConfigReader) -> (any TrainingStep)?
}
