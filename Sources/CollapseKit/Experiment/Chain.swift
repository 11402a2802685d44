/// One chain: one replicate of one cell, run generation by generation.
///
/// Generation 0 fits R₀ (`samples` real points); after each fit the model generates
/// its output batch, the metrics of (model, batch) are recorded, and the policy
/// assembles the next training set. The chain stops early only when a fit has
/// non-finite parameters.
struct ChainRunner<Family: GenerativeFamily>: Sendable {
    let family: Family
    let policy: TrainingPolicy
    let samples: Int
    let generations: Int
    let metrics: [MetricName]
    let algorithm: GeneratorAlgorithm

    /// Runs the chain; `observe` (if given) sees every generation's output batch.
    func run(key: StreamKey, replicate: Int, observe: ((Int, Family.Data) -> Void)? = nil) -> ChainResult {
        let stream = RandomStream(key: key, algorithm: algorithm)
        let requested = Set(metrics)
        let outputSize = policy.outputSize(samples: samples)

        let truth = family.makeTruth(requested: requested, stream: stream)
        let initialReal = family.drawReal(samples, truth: truth, stream: stream)
        var training = initialReal
        var outputs: [Family.Data] = []
        var log = ChainLog(replicate: replicate, metrics: metrics, generations: generations)

        for t in 0...generations {
            let model = family.fit(training)
            guard log.diagnose(family.diagnose(model), generation: t) else { break }

            let output = family.sample(model, count: outputSize, truth: truth, stream: stream)
            observe?(t, output)
            var values = MetricValues()
            family.measure(model, output: output, truth: truth, requested: requested, into: &values)
            log.record(values)

            if t == generations { break }
            if policy.keepsAllOutputs { outputs.append(output) } else { outputs = [output] }
            training = policy.trainingSet(
                generation: t + 1, generations: generations, samples: samples,
                initialReal: initialReal, outputs: outputs,
                drawReal: { family.drawReal($0, truth: truth, stream: stream) },
                stream: stream)
        }
        return log.result
    }
}

/// What a chain records as it runs, for both ``ChainRunner`` and
/// ``StatisticsChainRunner``: each generation's metric values, row-major in the run's
/// metric order, and the first generation at which each kind of event occurred.
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
    mutating func diagnose(_ diagnosis: [ChainEvent.Kind], generation t: Int) -> Bool {
        for kind in diagnosis where !seen.contains(kind) {
            seen.insert(kind)
            events.append(ChainEvent(kind: kind, replicate: replicate, generation: t))
        }
        return !diagnosis.contains(where: \.isFatal)
    }

    /// Appends one generation's row.
    mutating func record(_ values: MetricValues) {
        for m in metrics { rows.append(values[m]) }
    }

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

    public var status: Status {
        if events.contains(where: { $0.kind.isFatal }) { return .failed }
        return events.isEmpty ? .ok : .degenerate
    }

    /// Generations recorded.
    public func generationCount(metricCount: Int) -> Int { metricCount == 0 ? 0 : values.count / metricCount }
}
