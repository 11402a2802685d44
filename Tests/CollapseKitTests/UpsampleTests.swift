import Testing
@testable import CollapseKit

/// A model for the step's hooks: draws from a fixed rule, from the test's stream.
private struct DrawingHooks<D: TrainingData>: ModelHooks {
    let generation = 0
    let stream = RandomStream(key: StreamKey(seed: 5, cell: 1, replicate: 2), algorithm: .mt19937)
    let sampler: @Sendable (Int, RandomStream) -> D
    let events = EventList()

    func draw(_ count: Int) -> D { sampler(count, stream) }
    func logDensity(_ data: D) -> [Double]? { nil }
    func record(_ event: ChainEvent.Kind) { events.kinds.append(event) }
    func report(_ metric: MetricName, _ value: Double) { events.values[metric] = value }
}

private func upsample(_ yaml: String) throws -> UpsampleStep {
    let config = try TestRun.config(yaml)
    return try #require(config.policy.steps.first as? UpsampleStep)
}

/// `policy.upsample` draws the synthetic part stratified: exactly round(share × n) target
/// points and the rest non-target, and records `upsample_exhausted` (keeping what it
/// has) when the model cannot produce the target within `max_draws` × n candidates.
struct UpsampleTests {
    static let zipf = """
        name: u
        seed: 1
        replicates: 2
        generations: 2
        samples: 500
        model: { family: categorical, smoothing: 0 }
        real: { distribution: zipf, categories: 1000, exponent: 1.1 }
        policy: { kind: replace, upsample: { target: rare_categories, below: 0.01, share: 0.2 } }
        """

    @Test func rareCategoriesHaveExactlyTheRequestedShare() throws {
        let step = try upsample(Self.zipf)
        let p = try TestRun.config(Self.zipf).real.probabilities!
        let rare = p.map { $0 < 0.01 }
        #expect(!rare[0] && rare[999])
        // Half the draws are category 0 (common), half uniform over the rare ones.
        let rareCodes = rare.indices.filter { rare[$0] }.map(Int32.init)
        let hooks = DrawingHooks<CategorySample> { count, stream in
            CategorySample(categories: (0..<count).map { _ in
                stream.uniform() < 0.5 ? 0 : rareCodes[stream.uniformIndex(below: rareCodes.count)]
            })
        }
        let first = hooks.draw(500)
        let out = step.apply(first, target: 500, hooks: hooks)
        let rareCount = out.categories.filter { rare[Int($0)] }.count
        #expect(out.count == 500 && rareCount == 100 && step.targetCount(of: 500) == 100)
        #expect(hooks.events.kinds.isEmpty)
    }

    @Test func anUnreachableTargetIsRecorded() throws {
        let step = try upsample(Self.zipf)
        let hooks = DrawingHooks<CategorySample> { count, _ in CategorySample(categories: [Int32](repeating: 0, count: count)) }
        let out = step.apply(hooks.draw(500), target: 500, hooks: hooks)
        #expect(hooks.events.kinds == [.upsampleExhausted])
        #expect(out.count == 400 && out.categories.allSatisfy { $0 == 0 })
    }

    /// `tail`: beyond N(0, 1)'s central 95 % interval, |x| > 1.95996…
    @Test func tailPointsOfAContinuousModel() throws {
        let step = try upsample("""
            name: t
            seed: 1
            replicates: 2
            generations: 2
            samples: 500
            model: { family: gaussian }
            real: { distribution: normal }
            policy: { kind: replace, upsample: { target: tail, quantile: 0.95, share: 0.3 } }
            """)
        let hooks = DrawingHooks<Dataset> { count, stream in
            var values = [Double](repeating: 0, count: count)
            var a = 0.0, b = 0.0
            values.withUnsafeMutableBufferPointer { stream.fillNormals($0, mean: 0, sd: 1, summingFirst: 0, sum: &a, squares: &b) }
            return Dataset(values: values, dimension: 1)
        }
        let out = step.apply(hooks.draw(500), target: 500, hooks: hooks)
        let tail = out.values.filter { abs($0) > 1.959963984540054 }.count
        #expect(out.count == 500 && tail == 150 && hooks.events.kinds.isEmpty)
    }

    @Test func badUpsampleConfigsAreRefused() {
        let gaussian = Self.zipf.replacingOccurrences(of: "model: { family: categorical, smoothing: 0 }", with: "model: { family: gaussian }")
            .replacingOccurrences(of: "real: { distribution: zipf, categories: 1000, exponent: 1.1 }", with: "real: { distribution: normal }")
        let errors = TestRun.configErrors(gaussian)
        #expect(errors.contains { $0.contains("policy.upsample.target") && $0.contains("rare_categories with model.family categorical") }, "\(errors)")
        let label = TestRun.configErrors(Self.zipf.replacingOccurrences(of: "target: rare_categories, below: 0.01", with: "target: label, value: 1"))
        #expect(label.contains { $0.contains("label without real.label") }, "\(label)")
        let share = TestRun.configErrors(Self.zipf.replacingOccurrences(of: "share: 0.2", with: "share: 1.5"))
        #expect(share.contains { $0.contains("policy.upsample.share") }, "\(share)")
    }
}

/// A known key set to null (what a sweep cell without a block writes) is absent, not
/// unknown; an unknown key stays an error even when null.
struct NullKeyTests {
    @Test func aKnownKeySetToNullIsAbsent() {
        let base = """
            name: n
            samples: 50
            model: { family: gaussian }
            real: { distribution: normal }
            """
        #expect(TestRun.configErrors(base + "\npolicy: { kind: replace, curate: null, upsample: null }\nutility: null").isEmpty)
        let unknown = TestRun.configErrors(base + "\npolicy: { kind: replace, curation: null }")
        #expect(unknown.contains { $0.contains("policy.curation: got an unknown key") }, "\(unknown)")
    }
}

