import Synchronization

/// What a metric needs from its ``MetricContext``. The chain loop provides exactly
/// what the requested metrics declare; `sampler: auto` and the config's error messages
/// are derived from these declarations (a metric that needs the generated points rules
/// out exact statistics, one that needs the training set or R₀ makes the chain keep
/// them as points).
public struct MetricNeeds: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The fitted model.
    public static let model = MetricNeeds(rawValue: 1 << 0)
    /// The model's generated batch, as points.
    public static let batch = MetricNeeds(rawValue: 1 << 1)
    /// The training set that produced the model, as points.
    public static let training = MetricNeeds(rawValue: 1 << 2)
    /// R₀, the generation-0 real sample, as points.
    public static let initialReal = MetricNeeds(rawValue: 1 << 3)
    /// A held-out real sample (`heldout` points drawn when the chain starts, never
    /// trained on).
    public static let heldout = MetricNeeds(rawValue: 1 << 4)
    /// The chain's truth (e.g. a regression's true weights).
    public static let truth = MetricNeeds(rawValue: 1 << 5)
    /// The real distribution's density (its entropy or log-density): unavailable when
    /// real data come from a file, whose empirical distribution has none.
    public static let realDensity = MetricNeeds(rawValue: 1 << 6)

    /// Words for error messages: "the generated points", "the training set", …
    public var description: String {
        var parts: [String] = []
        if contains(.batch) { parts.append("the generated points") }
        if contains(.training) { parts.append("the training set") }
        if contains(.initialReal) { parts.append("the generation-0 real sample") }
        if contains(.heldout) { parts.append("a held-out real sample") }
        return parts.joined(separator: " and ")
    }
}

/// A metric's name and needs, without its family: what config validation sees.
public struct MetricInfo: Hashable, Sendable {
    public let name: MetricName
    public let needs: MetricNeeds
    public init(name: MetricName, needs: MetricNeeds) {
        self.name = name
        self.needs = needs
    }
}

/// One per-generation measurement of a family's chains: a name (the `metric` column
/// of `metrics.csv`), what it needs from the context, and the function computing it.
/// One definition can serve every family that meets its constraints (the sample
/// metrics serve every family of points in ℝ^d, see ``SampleMetrics``).
public struct Metric<Family: GenerativeFamily>: Sendable {
    public let name: MetricName
    public let needs: MetricNeeds
    let value: @Sendable (MetricContext<Family>) -> Double

    public init(_ name: MetricName, needs: MetricNeeds = .model,
                _ value: @escaping @Sendable (MetricContext<Family>) -> Double) {
        self.name = name
        self.needs = needs
        self.value = value
    }

    public var info: MetricInfo { MetricInfo(name: name, needs: needs) }

    /// The value in this context.
    public func callAsFunction(_ context: MetricContext<Family>) -> Double { value(context) }
}

/// Everything a metric can look at, for one generation of one chain: the fitted model,
/// the generated batch, the training set that produced the model, R₀, the held-out real
/// sample and the chain's truth. A field no requested metric declares is nil (the loop
/// neither keeps nor draws it); a metric must declare every field it reads, since which
/// fields are present depends on the other metrics requested. One context lives for the whole chain; values
/// several metrics share are computed once per generation (``shared(_:_:)``) or once
/// per chain (``perChain(_:_:)``), under a ``SharedValue`` key.
///
/// The per-generation fields are stored properties read in place (no copy of the model
/// per metric) and exempt from dynamic exclusivity checks: only the chain's own thread
/// touches a context, and only the loop writes it, between metric calls.
public final class MetricContext<Family: GenerativeFamily> {
    public let family: Family
    public let truth: Family.Truth
    /// R₀ as points (needs `.initialReal`).
    public let initialReal: Family.Data?
    /// The held-out real sample (needs `.heldout`).
    public let heldout: Family.Data?
    /// The generation being measured.
    @exclusivity(unchecked) public private(set) var generation = 0
    /// The current generation's model, in a slot of its own so that ``model`` yields it
    /// in place: reading a metric's model copies nothing (a force-unwrapped optional
    /// would be copied, retaining every array the model holds, at each read).
    private let modelSlot = UnsafeMutablePointer<Family.Model>.allocate(capacity: 1)
    @exclusivity(unchecked) private var hasModel = false
    /// The fitted model (read in place, not copied).
    public var model: Family.Model {
        _read {
            precondition(hasModel, "a metric read the model outside a generation")
            yield modelSlot.pointee
        }
    }
    /// The generated batch as points (needs `.batch`; nil where the batch was reduced
    /// on the fly, see ``streamed``).
    @exclusivity(unchecked) public private(set) var batch: Family.Data?
    /// Sample metrics a family computed while drawing, without keeping the points.
    @exclusivity(unchecked) public private(set) var streamed = MetricValues()
    /// The training set that produced the model (needs `.training`).
    @exclusivity(unchecked) public private(set) var training: Family.Data?
    /// How the privacy metrics attack (``PrivacyConfig``; defaults outside a run).
    public internal(set) var privacy = PrivacyConfig()
    /// The utility metrics' downstream model (``UtilityConfig``; defaults outside a run).
    public var utility = UtilityConfig()
    /// The utility metrics' test rows (needs `.heldout`): the first `utility.heldout`
    /// rows of the chain's held-out draw; nil when they are ``heldout`` itself.
    public var utilityHeldout: Family.Data?
    /// The rows the utility metrics test on: ``utilityHeldout``, else ``heldout``.
    public var utilityTestSet: Family.Data? { utilityHeldout ?? heldout }
    /// The chain's stream key (nil outside a run): the seed of ``metricStream(tag:)``.
    var chainKey: StreamKey?
    /// The step metrics (``StepMetrics``) of the policy steps that built this
    /// generation's training set; empty at generation 0.
    @exclusivity(unchecked) public internal(set) var stepValues: [MetricName: Double] = [:]
    /// The region `rule_violation_rate` measures (`policy.curate`'s rules or plausibility).
    public internal(set) var stepRegion: RowTest?
    @exclusivity(unchecked) private var generationValues: [(generation: Int, value: AnyObject)?] = []
    @exclusivity(unchecked) private var chainValues: [AnyObject?] = []

    /// A context at generation 0 (the loop moves it on with ``start(generation:model:batch:training:streamed:)``;
    /// tests and hand-checked values build one directly).
    public init(family: Family, truth: Family.Truth, model: Family.Model, batch: Family.Data? = nil,
                training: Family.Data? = nil, initialReal: Family.Data? = nil, heldout: Family.Data? = nil) {
        self.family = family
        self.truth = truth
        modelSlot.initialize(to: model)
        hasModel = true
        self.batch = batch
        self.training = training
        self.initialReal = initialReal
        self.heldout = heldout
    }

    deinit {
        if hasModel { modelSlot.deinitialize(count: 1) }
        modelSlot.deallocate()
    }

    /// A context with no model yet, for the loop (``start(generation:model:batch:training:streamed:)``
    /// gives it each generation's).
    init(family: Family, truth: Family.Truth, initialReal: Family.Data?, heldout: Family.Data?) {
        self.family = family
        self.truth = truth
        self.initialReal = initialReal
        self.heldout = heldout
    }

    /// Moves the context to generation `t`, taking over `model`.
    func start(generation t: Int, model: consuming Family.Model, batch: Family.Data?, training: Family.Data?,
               streamed: MetricValues) {
        generation = t
        if hasModel { modelSlot.deinitialize(count: 1) }
        modelSlot.initialize(to: model)
        hasModel = true
        self.batch = batch
        self.training = training
        self.streamed = streamed
    }

    /// Releases the generation's model, batch and training set once its metrics are
    /// computed, so the policy can grow the training set in place (a KDE's model shares
    /// its training points).
    func end() {
        if hasModel { modelSlot.deinitialize(count: 1) }
        hasModel = false
        batch = nil
        training = nil
    }

    /// A stream of a metric's own for this chain and generation, so a metric that draws
    /// (a random baseline) changes no other value: keyed by the chain's key with `tag`
    /// mixed into the cell word and the generation into the replicate word.
    public func metricStream(tag: UInt64) -> RandomStream {
        let key = chainKey ?? StreamKey(seed: 0, cell: 0, replicate: 0)
        return RandomStream(key: StreamKey(seed: key.seed, cell: key.cell ^ (tag << 48),
                                           replicate: key.replicate ^ (UInt64(generation + 1) << 40)))
    }

    /// A value several metrics of one generation share (e.g. the held-out
    /// log-densities behind `nll_heldout` and `kl`), computed on first use.
    public func shared<T>(_ key: SharedValue<T>, _ compute: () -> T) -> T {
        if key.slot < generationValues.count, let entry = generationValues[key.slot], entry.generation == generation {
            return unsafeDowncast(entry.value, to: Box<T>.self).value
        }
        let v = compute()
        if key.slot >= generationValues.count {
            generationValues.append(contentsOf: repeatElement(nil, count: key.slot + 1 - generationValues.count))
        }
        generationValues[key.slot] = (generation, Box(v))
        return v
    }

    /// A value that stays the same for the whole chain (e.g. the real log-density of
    /// the held-out sample), computed on first use.
    public func perChain<T>(_ key: SharedValue<T>, _ compute: () -> T) -> T {
        if key.slot < chainValues.count, let value = chainValues[key.slot] {
            return unsafeDowncast(value, to: Box<T>.self).value
        }
        let v = compute()
        if key.slot >= chainValues.count {
            chainValues.append(contentsOf: repeatElement(nil, count: key.slot + 1 - chainValues.count))
        }
        chainValues[key.slot] = Box(v)
        return v
    }
}

/// The key of a value metrics share through ``MetricContext/shared(_:_:)`` or
/// ``MetricContext/perChain(_:_:)``: declare each as a `static let`; every key gets its
/// own slot, and the type `T` is part of the key.
public final class SharedValue<T>: Sendable {
    let slot: Int
    public init() { slot = SharedValueSlots.next() }
}

private enum SharedValueSlots {
    static let counter = Atomic<Int>(0)
    static func next() -> Int { counter.wrappingAdd(1, ordering: .relaxed).oldValue }
}

/// A shared value, boxed.
final class Box<T> {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A few metric values by name (the sample metrics a family streams while drawing);
/// NaN for a name not set.
public struct MetricValues: Sendable {
    private var names: [MetricName] = []
    private var values: [Double] = []

    public init() {}

    public subscript(name: MetricName) -> Double {
        get {
            for i in names.indices where names[i] == name { return values[i] }
            return .nan
        }
        set {
            for i in names.indices where names[i] == name {
                values[i] = newValue
                return
            }
            names.append(name)
            values.append(newValue)
        }
    }

    /// True when `name` was set.
    public func contains(_ name: MetricName) -> Bool { names.contains(name) }
}
