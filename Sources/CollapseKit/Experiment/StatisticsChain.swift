/// One chain of a ``SufficientStatisticFamily``, carried by the fit's sufficient
/// statistics instead of training sets: the same generations, policies and metrics as
/// ``ChainRunner``, without its cost.
///
/// - Training sets are never assembled: `replace` fits the statistics of the previous
///   output, `accumulate` a running merge of R₀ and every output (O(1) memory and
///   O(n) work per generation instead of O(t·n)), and `mix` the merge of its real part
///   and the first s_t points of the previous output.
/// - `exact == nil` (`sampler: samples`): every point is really drawn, in the order
///   ``ChainRunner`` draws it, so both runners see the same random numbers and agree to
///   rounding; a generation's output is stored only when a metric or a snapshot needs
///   the points (or the family's batch statistics need them, as regression's do).
/// - `exact != nil` (`sampler: statistics`): the statistics of each batch are drawn
///   from their exact distribution (``ExactStatisticFamily/drawStatistics(_:count:truth:stream:)``),
///   so a generation costs the same for any n — except `mix` with `real_source: fixed`,
///   whose real part is a random subset of R₀, and real data that can only be drawn as
///   points (Student-t and mixture real data: R₀ and `fresh` real points), which cost
///   O(n).
struct StatisticsChainRunner<Family: SufficientStatisticFamily>: Sendable {
    let family: Family
    let policy: TrainingPolicy
    let samples: Int
    let generations: Int
    let metrics: [MetricName]
    let algorithm: GeneratorAlgorithm
    /// The exact draws of `sampler: statistics`; nil for real draws.
    let exact: ExactDraws<Family>?

    func run(key: StreamKey, replicate: Int, observe: ((Int, Family.Data) -> Void)? = nil) -> ChainResult {
        precondition(policy.kind != .accumulateSubsample, "accumulate_subsample needs the points: ChainRunner")
        precondition(exact == nil || observe == nil, "snapshots need the points: sampler samples")
        let stream = RandomStream(key: key, algorithm: algorithm)
        let requested = Set(metrics)
        let outputSize = policy.outputSize(samples: samples)
        // Sample metrics computed while drawing; the others (ks) need the points kept.
        let streamed = family.streamedMetrics(for: requested)
        let measured = requested.subtracting(streamed)
        let keep = observe != nil || measured.contains(where: \.isSampleMetric)
        let drawLast = observe != nil || requested.contains(where: \.isSampleMetric)

        let truth = family.makeTruth(requested: requested, stream: stream)
        // R₀ itself is kept only where later generations subsample it.
        let needsInitialReal = policy.kind == .mix && policy.realSource == .fixed
        var initialReal: Family.Data?
        var training: Family.Statistics
        if let exact, !needsInitialReal {
            training = exact.real(samples, truth, stream)
        } else {
            let real = family.drawReal(samples, truth: truth, stream: stream)
            training = family.statistics(of: real)
            if needsInitialReal { initialReal = real }
        }
        var pool = training
        var log = ChainLog(replicate: replicate, metrics: metrics, generations: generations)

        for t in 0...generations {
            let model = family.fit(statistics: training)
            guard log.diagnose(family.diagnose(model), generation: t) else { break }

            // What the next training set takes: the first `next.synthetic` points of this
            // output (all of them but under `mix`) and, under `mix`, `next.real` real ones.
            var next = (real: 0, synthetic: 0)
            if t < generations {
                next = policy.kind == .mix
                    ? policy.composition(generation: t + 1, generations: generations, samples: samples)!
                    : (0, outputSize)
            }
            let batch: SampledBatch<Family.Statistics, Family.Data>
            if let exact {
                batch = SampledBatch(statistics: exact.model(model, next.synthetic, truth, stream), output: nil)
            } else {
                // The last output feeds no fit: it is drawn only when something looks at it.
                let count = t < generations || drawLast ? outputSize : 0
                batch = family.sampleStatistics(model, count: count, prefix: next.synthetic, keep: keep,
                                                streaming: streamed, truth: truth, stream: stream)
            }
            let synthetic = batch.statistics
            if let observe { observe(t, batch.output!) }
            var values = MetricValues()
            family.measure(model, output: batch.output ?? family.emptyOutput, truth: truth, requested: measured,
                           into: &values)
            for m in streamed { values[m] = batch.streamed[m] }
            log.record(values)

            if t == generations { break }
            switch policy.kind {
            case .replace:
                training = synthetic
            case .accumulate:
                pool = family.merge(pool, synthetic)
                training = pool
            case .mix:
                let real: Family.Statistics
                switch policy.realSource {
                case .fixed:
                    let r0 = initialReal!
                    real = family.statistics(of: r0.rows(stream.choose(next.real, from: r0.count)))
                case .fresh:
                    real = exact?.real(next.real, truth, stream)
                        ?? family.statistics(of: family.drawReal(next.real, truth: truth, stream: stream))
                }
                training = family.merge(real, synthetic)
            case .accumulateSubsample:
                preconditionFailure("excluded above")
            }
        }
        return log.result
    }
}

/// The exact statistic draws of an ``ExactStatisticFamily``, for a runner generic over
/// any ``SufficientStatisticFamily``.
struct ExactDraws<Family: SufficientStatisticFamily>: Sendable {
    /// Statistics of `count` draws from a model.
    let model: @Sendable (Family.Model, Int, Family.Truth, RandomStream) -> Family.Statistics
    /// Statistics of `count` fresh real observations.
    let real: @Sendable (Int, Family.Truth, RandomStream) -> Family.Statistics
}

extension ExactDraws where Family: ExactStatisticFamily {
    init(_ family: Family) {
        model = { family.drawStatistics($0, count: $1, truth: $2, stream: $3) }
        real = { family.drawRealStatistics($0, truth: $1, stream: $2) }
    }
}
