/// How generation t's training set (t ≥ 1) is assembled from real data and what earlier
/// generations generated: one value per `policy.kind`, registered by its
/// ``PolicyKind``. Generation 0 is always fitted to `samples` real points R₀, and every
/// generation's model generates ``outputSize(samples:)`` points.
///
/// A policy is written once for every family and every sampler: it assembles training
/// sets only through a ``TrainingAssembler``, which the chain loop backs with points or
/// with a family's sufficient statistics.
public protocol TrainingPolicy: Sendable {
    /// `policy.kind`.
    var kind: String { get }
    /// The policy's resolved keys besides `kind` (written into the resolved config).
    var jsonEntries: [String: JSONValue] { get }

    /// Points each generation's model generates (default `samples`).
    func outputSize(samples n: Int) -> Int

    /// (real, synthetic) counts of generation t's training set, t ≥ 1; nil when the
    /// split is random.
    func composition(generation t: Int, generations G: Int, samples n: Int) -> (real: Int, synthetic: Int)?

    /// How many points of generation t − 1's output generation t's training set takes:
    /// its first `syntheticTaken` points (default: all of them).
    func syntheticTaken(generation t: Int, generations G: Int, samples n: Int) -> Int

    /// Why this policy needs the training points themselves (so a chain cannot run on
    /// sufficient statistics), or nil.
    var needsPointsReason: String? { get }

    /// True when later generations draw from R₀'s points, so the loop keeps them.
    var usesInitialRealPoints: Bool { get }

    /// New real observations generation t's training set draws (``TrainingAssembler/freshReal(_:)``),
    /// t ≥ 1: what a file-backed chain must still have unused.
    func freshRealCount(generation t: Int, generations G: Int, samples n: Int) -> Int

    /// Points the policy keeps besides the training set once generation t's set is
    /// assembled (its `pool`; default none): for the memory estimate.
    func poolSize(generation t: Int, generations G: Int, samples n: Int) -> Int

    /// Replaces `training` (generation t − 1's training set) by generation t's.
    /// `pool` is the policy's own state across generations of one chain (nil at first).
    func next<A: TrainingAssembler>(generation t: Int, generations G: Int, samples n: Int,
                                    training: inout A.TrainingSet, pool: inout A.TrainingSet?,
                                    assembler: A)
}

extension TrainingPolicy {
    public var jsonEntries: [String: JSONValue] { [:] }
    public func outputSize(samples n: Int) -> Int { n }
    public func syntheticTaken(generation t: Int, generations G: Int, samples n: Int) -> Int { outputSize(samples: n) }
    public var needsPointsReason: String? { nil }
    public var usesInitialRealPoints: Bool { false }
    public func freshRealCount(generation t: Int, generations G: Int, samples n: Int) -> Int { 0 }
    public func poolSize(generation t: Int, generations G: Int, samples n: Int) -> Int { 0 }

    /// Size of generation t's training set (t ≥ 1).
    public func trainingSize(generation t: Int, generations G: Int, samples n: Int) -> Int {
        guard let c = composition(generation: t, generations: G, samples: n) else { return n }
        return c.real + c.synthetic
    }
}

/// What a policy assembles training sets from, backed by the chain loop: points
/// (``TrainingSet`` = the family's data) or a family's sufficient statistics.
public protocol TrainingAssembler {
    associatedtype TrainingSet
    /// R₀.
    var initialReal: TrainingSet { get }
    /// The points the next training set takes from the latest output (its first
    /// ``TrainingPolicy/syntheticTaken(generation:generations:samples:)``, after the
    /// policy's steps).
    var synthetic: TrainingSet { get }
    /// `count` points of R₀ chosen without replacement from the chain's stream (only
    /// when ``TrainingPolicy/usesInitialRealPoints``).
    func initialRealSubset(_ count: Int) -> TrainingSet
    /// `count` new real observations.
    func freshReal(_ count: Int) -> TrainingSet
    /// The union of two disjoint sets, `a` first.
    func merge(_ a: TrainingSet, _ b: TrainingSet) -> TrainingSet
    /// Adds `b` to `a` in place (O(|b|) for points).
    func append(_ b: TrainingSet, to a: inout TrainingSet)
    /// `count` observations of `set` drawn without replacement (points only: policies
    /// that call it declare ``TrainingPolicy/needsPointsReason``).
    func subsample(_ set: TrainingSet, count: Int) -> TrainingSet
}

/// `policy:` resolved: the training-set rule of `policy.kind` and the steps applied to
/// the synthetic part of every training set (in registry order).
public struct PolicyConfig: Equatable, Sendable {
    public let rule: any TrainingPolicy
    public let steps: [any TrainingStep]

    public init(_ rule: any TrainingPolicy, steps: [any TrainingStep] = []) {
        self.rule = rule
        self.steps = steps
    }

    public var kind: String { rule.kind }

    /// The resolved `policy:` section.
    public var jsonValue: JSONValue {
        var map = rule.jsonEntries
        map["kind"] = .string(rule.kind)
        for step in steps { map[step.key] = step.jsonValue }
        return .map(map)
    }

    public static func == (a: PolicyConfig, b: PolicyConfig) -> Bool { a.jsonValue == b.jsonValue }

    /// Why the chain needs the synthetic points themselves, or nil.
    public var needsPointsReason: String? {
        if let reason = rule.needsPointsReason { return reason }
        if let step = steps.first { return "policy.\(step.key) looks at the generated points" }
        return nil
    }

    public func outputSize(samples n: Int) -> Int { rule.outputSize(samples: n) }
}

/// A `policy.kind`: its config name, its keys and their parser.
public protocol PolicyKind: Sendable {
    /// `policy.kind`.
    var name: String { get }
    /// The policy's keys besides `kind`.
    var keys: [String] { get }
    /// Reads the policy's keys (reporting errors on `reader`); nil on error.
    func parse(_ reader: ConfigReader, generations: Int?) -> (any TrainingPolicy)?
}

/// A policy without keys of its own is its own kind: its name is its `kind`, and
/// parsing it reads nothing.
extension PolicyKind where Self: TrainingPolicy {
    public var name: String { kind }
    public var keys: [String] { [] }
    public func parse(_ reader: ConfigReader, generations: Int?) -> (any TrainingPolicy)? { self }
}
