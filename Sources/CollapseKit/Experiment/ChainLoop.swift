/// The chain loop: one replicate of one cell, run generation by generation, the same
/// for every family, policy and sampler (the representation decides whether training
/// sets are points or sufficient statistics).
///
/// Order of the chain's random draws: the family's truth, then the held-out real sample
/// (when a metric needs it), then R₀ (`samples` real points); then for t = 0…G: the fit
/// (a mixture's k-means++ seeds), the output batch, the policy steps' draws, and the
/// next training set's real draws (a subset of R₀ or fresh points). The chain stops
/// early only when a fit has non-finite parameters (or a step records a fatal event);
/// it is abandoned, with no result, when its ``ChainControl`` asks it to stop (checked
/// before each generation, which draws nothing).
struct ChainLoop<Representation: ChainRepresentation>: Sendable {
    typealias Family = Representation.Family
    let representation: Representation
    let policy: PolicyConfig
    let samples: Int
    let generations: Int
    /// The requested metrics, in the run's (sorted) order.
    let metrics: [Metric<Family>]
    let heldout: Int
    let algorithm: GeneratorAlgorithm
    /// `privacy:`, for the privacy metrics.
    var privacy = PrivacyConfig()
    /// `utility:`, for the utility metrics (nil when none is requested).
    var utility: UtilityConfig? = nil
    /// `output.collapse`, with its metric's index in `metrics`.
    var threshold: (index: Int, rule: CollapseThreshold)? = nil

    /// Runs the whole chain; `observe` (if given) sees every generation's output batch.
    func run(key: StreamKey, replicate: Int, observe: ((Int, Family.Data) -> Void)? = nil) -> ChainResult {
        run(key: key, replicate: replicate, control: .never, observe: observe)!
    }

    /// Runs the chain, counting each generation done into `control`'s counter; nil when
    /// `control` asked it to stop before its last generation (it then takes back what it
    /// counted: an abandoned chain runs again from its start).
    func run(key: StreamKey, replicate: Int, control: ChainControl,
             observe: ((Int, Family.Data) -> Void)? = nil) -> ChainResult? {
        precondition(representation.drawsPoints || observe == nil, "snapshots need the points: sampler samples")
        let stream = RandomStream(key: key, algorithm: algorithm)
        let family = representation.family
        let cellID = Hashing.hex(key.cell)
        let requested = Set(metrics.map(\.name))
        let needs = metrics.reduce(into: MetricNeeds()) { $0.formUnion($1.needs) }
        let outputSize = policy.outputSize(samples: samples)
        // Sample metrics computed while drawing; the others need the points kept.
        let streamed = representation.streamedMetrics(for: requested)
        // Read once per chain, not once per generation (each read of an array or an
        // existential through `policy` retains and releases it).
        let steps = policy.steps, hasSteps = !steps.isEmpty
        let keep = observe != nil || hasSteps
            || metrics.contains { $0.needs.contains(.batch) && !streamed.contains($0.name) }
        let drawLast = observe != nil || needs.contains(.batch)

        let truth = family.makeTruth(requested: requested, stream: stream)
        // The utility metrics test on the first utility.heldout rows of the same draw,
        // the other metrics read the first `heldout` (both disjoint from R₀).
        let heldoutDraw = max(heldout, utility?.heldout ?? 0)
        let drawnHeldout = needs.contains(.heldout) ? family.drawHeldout(heldoutDraw, truth: truth, stream: stream) : nil
        let heldoutPoints = heldoutDraw > heldout ? drawnHeldout?.prefix(heldout) : drawnHeldout
        let utilityPoints: Family.Data? = {
            guard let utility, let drawnHeldout, utility.heldout != heldout else { return nil }
            return utility.heldout == heldoutDraw ? drawnHeldout : drawnHeldout.prefix(utility.heldout)
        }()
        let keepR0 = policy.rule.usesInitialRealPoints || needs.contains(.initialReal)
        let (r0, r0Points) = representation.initialReal(samples, keepPoints: keepR0, truth: truth, stream: stream)
        var context: MetricContext<Family>?
        var training = r0
        var pool: Representation.TrainingSet?
        let rule = policy.rule
        let assembler = LoopAssembler(representation: representation, initialReal: r0, initialRealPoints: r0Points,
                                      synthetic: r0, truth: truth, stream: stream)
        var log = ChainLog(replicate: replicate, metrics: metrics.map(\.name), generations: generations)
        let values = ContiguousArray(metrics.map(\.value))
        let thresholdIndex = threshold?.index ?? -1
        let counter = control.counter
        var identity = ChainIdentity(cell: cellID, replicate: replicate, generation: 0)

        var counted = 0
        for t in 0...generations {
            if control.shouldStop() {
                control.counter?.add(-counted)
                return nil
            }
            identity.generation = t
            // The generation's model, batch and context fields end with this scope, so
            // the policy below grows the training set in place.
            let synthetic: Representation.TrainingSet
            do {
                let model = representation.fit(training, stream: stream,
                                               chain: identity)
                let diagnosis = family.diagnose(model)
                // A fit that failed because the run is stopping (an external generator
                // killed by the stop) is no result: the chain is abandoned, to run again.
                if diagnosis.contains(where: \.isFatal), control.shouldStop() {
                    control.counter?.add(-counted)
                    return nil
                }
                guard log.diagnose(diagnosis, generation: t, message: family.failureMessage(model)) else { break }

                // The first `taken` points of this output go into the next training set.
                let taken = t < generations
                    ? rule.syntheticTaken(generation: t + 1, generations: generations, samples: samples) : 0
                // The last output feeds no fit: it is drawn only when something looks at it.
                let count = t < generations || drawLast ? outputSize : 0
                let batch = representation.sample(model, count: count, prefix: taken, keep: keep, streaming: streamed,
                                                  truth: truth, stream: stream)
                if let observe { observe(t, batch.output!) }
                let measured: MetricContext<Family>
                if let context {
                    measured = context
                } else {
                    measured = MetricContext(family: family, truth: truth,
                                             initialReal: needs.contains(.initialReal) ? r0Points : nil,
                                             heldout: heldoutPoints)
                    measured.privacy = privacy
                    if let utility {
                        measured.utility = utility
                        measured.utilityHeldout = utilityPoints
                    }
                    measured.chainKey = key
                    measured.stepRegion = steps.lazy.compactMap(\.region).first
                    context = measured
                }
                // The model moves into the context (no copy of its arrays); the steps
                // below read it there, and it is released before the policy runs.
                measured.start(generation: t, model: consume model, batch: batch.output,
                               training: needs.contains(.training) ? representation.points(training) : nil,
                               streamed: batch.streamed)
                defer { measured.end() }
                for i in values.indices {
                    let value = values[i](measured)
                    log.record(value)
                    if i == thresholdIndex, let threshold, threshold.rule.isCrossed(by: value) {
                        log.diagnose([.thresholdCrossed], generation: t)
                    }
                }
                counted += 1
                counter?.add(1)

                if t == generations { break }
                if !hasSteps {
                    synthetic = batch.statistics
                } else {
                    let hooks = LoopHooks(family: family, model: measured.model, truth: truth, generation: t, stream: stream)
                    var points = batch.output!.prefix(taken)
                    for step in steps { points = step.apply(points, target: taken, hooks: hooks) }
                    measured.stepValues = hooks.events.values
                    // The events belong to the training set being built: generation t + 1's.
                    guard log.diagnose(hooks.events.kinds, generation: t + 1) else { break }
                    synthetic = representation.set(of: points)
                }
            }
            assembler.synthetic = synthetic
            rule.next(generation: t + 1, generations: generations, samples: samples,
                      training: &training, pool: &pool, assembler: assembler)
            if hasSteps, representation.points(training)?.count == 0 {
                log.diagnose([.emptyTrainingSet], generation: t + 1, message: "the policy steps kept no synthetic point and the policy adds no real one")
                break
            }
        }
        // A chain that stopped early counts the generations it will never run.
        control.counter?.add(generations + 1 - counted)
        return log.result
    }
}

/// The loop's ``TrainingAssembler``: the representation's operations plus the chain's
/// R₀ and this generation's synthetic part. Built once per chain (the loop sets
/// `synthetic` before each call of the policy).
final class LoopAssembler<Representation: ChainRepresentation>: TrainingAssembler {
    typealias TrainingSet = Representation.TrainingSet
    let representation: Representation
    let initialReal: TrainingSet
    let initialRealPoints: Representation.Family.Data?
    @exclusivity(unchecked) var synthetic: TrainingSet
    let truth: Representation.Family.Truth
    let stream: RandomStream

    init(representation: Representation, initialReal: TrainingSet, initialRealPoints: Representation.Family.Data?,
         synthetic: TrainingSet, truth: Representation.Family.Truth, stream: RandomStream) {
        self.representation = representation
        self.initialReal = initialReal
        self.initialRealPoints = initialRealPoints
        self.synthetic = synthetic
        self.truth = truth
        self.stream = stream
    }

    func initialRealSubset(_ count: Int) -> TrainingSet {
        let r0 = initialRealPoints!
        return representation.set(of: r0.rows(stream.choose(count, from: r0.count)))
    }

    func freshReal(_ count: Int) -> TrainingSet { representation.freshReal(count, truth: truth, stream: stream) }
    func merge(_ a: TrainingSet, _ b: TrainingSet) -> TrainingSet { representation.merge(a, b) }
    func append(_ b: TrainingSet, to a: inout TrainingSet) { representation.append(b, to: &a) }

    func subsample(_ set: TrainingSet, count: Int) -> TrainingSet {
        guard let points = representation.points(set) else {
            preconditionFailure("subsampling needs a chain on points (needsPointsReason)")
        }
        return representation.set(of: points.rows(stream.choose(count, from: points.count)))
    }
}

/// The loop's ``ModelHooks``: the current model, drawing from the chain's stream.
struct LoopHooks<Family: GenerativeFamily>: ModelHooks {
    let family: Family
    let model: Family.Model
    let truth: Family.Truth
    let generation: Int
    let stream: RandomStream
    /// The events the steps record (the loop adds them to the chain's log).
    let events = EventList()

    func draw(_ count: Int) -> Family.Data { family.sample(model, count: count, truth: truth, stream: stream) }
    func logDensity(_ data: Family.Data) -> [Double]? { family.logDensity(model, of: data) }
    func record(_ event: ChainEvent.Kind) { events.kinds.append(event) }
    func report(_ metric: MetricName, _ value: Double) { events.values[metric] = value }
}

/// Events and step metrics recorded by a generation's policy steps.
final class EventList {
    var kinds: [ChainEvent.Kind] = []
    var values: [MetricName: Double] = [:]
}

/// What a chain records as it runs: each generation's metric values, row-major in the
/// run's metric order, and the first generation at which each kind of event occurred.
struct ChainLog {
    let replicate: Int
    let metrics: [MetricName]
    private var rows: [Double] = []
    private var events: [ChainEvent] = []
    private var seen: Set<ChainEvent.Kind> = []

    init(replicate: Int, metrics: [MetricName], generations: Int) {
        self.replicate = replicate
        self.metrics = metrics
        rows.reserveCapacity((generations + 1) * metrics.count)
    }

    /// Records the diagnosis of generation t's fit; false when it is fatal (the chain
    /// stops, and generation t is not recorded).
    @discardableResult
    mutating func diagnose(_ diagnosis: [ChainEvent.Kind], generation t: Int, message: String? = nil) -> Bool {
        for kind in diagnosis where !seen.contains(kind) {
            seen.insert(kind)
            events.append(ChainEvent(kind: kind, replicate: replicate, generation: t,
                                     message: kind.isFatal ? message : nil))
        }
        return !diagnosis.contains(where: \.isFatal)
    }

    /// Appends the next value of the current generation's row.
    mutating func record(_ value: Double) { rows.append(value) }

    var result: ChainResult { ChainResult(replicate: replicate, values: rows, events: events) }
}

/// A finished chain: metric values for generations 0…g (g = G unless it stopped
/// early), row-major by generation in the run's metric order, and what happened.
public struct ChainResult: Sendable {
    public var replicate: Int
    public var values: [Double]
    public var events: [ChainEvent]

    /// Ordered from best to worst, so a group's status is the worst of its members'.
    public enum Status: String, Comparable, Sendable {
        case ok, degenerate, failed
        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
        private var rank: Int { self == .ok ? 0 : self == .degenerate ? 1 : 2 }
    }

    /// Failed with a fatal event, degenerate with any other event of a degenerate fit
    /// (measurements such as `threshold_crossed` do not count), else ok.
    public var status: Status {
        if events.contains(where: { $0.kind.isFatal }) { return .failed }
        return events.allSatisfy(\.kind.isMeasurement) ? .ok : .degenerate
    }

    /// Generations recorded.
    public func generationCount(metricCount: Int) -> Int { metricCount == 0 ? 0 : values.count / metricCount }
}
