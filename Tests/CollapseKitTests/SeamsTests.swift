import Foundation
import Testing
@testable import CollapseKit

// MARK: - A family, a real-data kind and a policy step defined outside CollapseKit

/// Bernoulli(p) real data (`real.distribution: bernoulli`, key `p`), registered from the
/// test target.
struct BernoulliRealData: RealDataSpec {
    var p: Double
    var kind: String { "bernoulli" }
    var dimension: Int { 1 }
    var jsonEntries: [String: JSONValue] { ["p": .double(p)] }

    struct Kind: RealDataKind {
        var name: String { "bernoulli" }
        func parse(_ r: ConfigReader) -> (any RealDataSpec)? {
            let p = r.double("p", default: 0.5, allowed: "a number in (0, 1)") { $0 > 0 && $0 < 1 }
            r.finish(allowedKeys: ["distribution", "p"])
            return p.map { BernoulliRealData(p: $0) }
        }
    }
}

/// Counts the elements a `BinarySample` copies because its storage was shared when it
/// was appended to (the copy-on-write copies that would make `accumulate` O(t·n)).
final class CopyCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var copied = 0
    func add(_ n: Int) { lock.lock(); copied += n; lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return copied }
}

/// 0/1 observations in class-backed storage, so an append can see whether its storage
/// is shared (`isKnownUniquelyReferenced`) and count the copy it then makes.
struct BinarySample: TrainingData, @unchecked Sendable {
    final class Storage { var values: [Int32]; init(_ v: [Int32]) { values = v } }
    private var storage: Storage
    let counter: CopyCounter

    init(_ values: [Int32], counter: CopyCounter) {
        storage = Storage(values)
        self.counter = counter
    }

    var values: [Int32] { storage.values }
    var count: Int { storage.values.count }
    func prefix(_ n: Int) -> BinarySample { BinarySample(Array(values[0..<n]), counter: counter) }
    func rows(_ rows: [Int]) -> BinarySample { BinarySample(rows.map { values[$0] }, counter: counter) }
    mutating func append(_ other: BinarySample) {
        if !isKnownUniquelyReferenced(&storage) {
            counter.add(storage.values.count)
            storage = Storage(storage.values)
        }
        storage.values.append(contentsOf: other.values)
    }
    static func concatenate(_ parts: [BinarySample]) -> BinarySample {
        BinarySample(parts.flatMap(\.values), counter: parts[0].counter)
    }
    var snapshotWidth: Int { 1 }
    var snapshotValues: [Double] { values.map(Double.init) }
}

/// The Bernoulli family: fit p̂ = (Σx + α)/(n + 2α), sample Bernoulli(p̂). Under
/// `replace` with α = 0, p̂_t is a martingale (E[p̂_t] = p) and E[p̂_t(1 − p̂_t)] =
/// (1 − 1/n)^(t+1) p(1 − p) (the two-allele Wright–Fisher model; Ewens 2004 eq. 1.47).
struct BernoulliFamily: GenerativeFamily {
    struct Model { var p: Double }
    let p: Double
    let prior: Double
    let counter: CopyCounter

    func makeTruth(requested: Set<MetricName>, stream: RandomStream) {}

    func drawReal(_ count: Int, truth: Void, stream: RandomStream) -> BinarySample {
        BinarySample((0..<count).map { _ in stream.uniform() < p ? 1 : 0 }, counter: counter)
    }

    func fit(_ data: BinarySample, stream: RandomStream) -> Model {
        let ones = data.values.reduce(0) { $0 + Int($1) }
        return Model(p: (Double(ones) + prior) / (Double(data.count) + 2 * prior))
    }

    func diagnose(_ model: Model) -> [ChainEvent.Kind] {
        model.p == 0 || model.p == 1 ? [.supportCollapsed] : []
    }

    func sample(_ model: Model, count: Int, truth: Void, stream: RandomStream) -> BinarySample {
        BinarySample((0..<count).map { _ in stream.uniform() < model.p ? 1 : 0 }, counter: counter)
    }

    /// `mean` = p̂; `heterozygosity` = p̂(1 − p̂); `tv` = |p̂ − x̄(R₀)|, the total
    /// variation to R₀'s empirical distribution (needs R₀); `support_size` = the values
    /// present in the training set (needs the training set).
    static func metrics(real: RealDataConfig) -> [Metric<BernoulliFamily>] {
        [Metric(.mean) { $0.model.p },
         Metric(.heterozygosity) { $0.model.p * (1 - $0.model.p) },
         Metric(.tv, needs: [.model, .initialReal]) { c in
             let r0 = c.initialReal!
             return abs(c.model.p - Double(r0.values.reduce(0) { $0 + Int($1) }) / Double(r0.count))
         },
         Metric(.supportSize, needs: .training) { Double(Set($0.training!.values).count) }]
    }
}

struct BernoulliDescriptor: FamilyDescriptor {
    typealias Family = BernoulliFamily
    var counter = CopyCounter()

    struct Options: FamilyOptions {
        var prior: Double
        var jsonEntries: [String: JSONValue] { ["prior": .double(prior)] }
    }

    var name: String { "bernoulli" }
    var keys: [String] { ["prior"] }
    var realKinds: [String] { ["bernoulli"] }

    func parse(_ r: ConfigReader) -> (any FamilyOptions)? {
        r.double("prior", default: 0, allowed: "a number ≥ 0 (pseudo-counts per outcome)") { $0 >= 0 }.map(Options.init)
    }

    func minimumTrainingSize(dimension d: Int) -> (size: Int, reason: String) { (1, "(one observation)") }

    func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner {
        ChainRunners.make(BernoulliFamily(p: (config.real.spec as! BernoulliRealData).p,
                                          prior: config.model.options(as: Options.self).prior, counter: counter),
                          config: config)
    }
}

/// A policy step keeping only the synthetic points with |x| ≤ c (1-D points), drawing
/// more from the model until the synthetic part has its full count: `policy.keep_interval: {c: …}`.
struct KeepInterval: TrainingStep {
    let c: Double
    var key: String { "keep_interval" }
    var jsonValue: JSONValue { .map(["c": .double(c)]) }

    func apply<Hooks: ModelHooks>(_ synthetic: Hooks.Data, target: Int, hooks: Hooks) -> Hooks.Data {
        func inside(_ d: Hooks.Data) -> Hooks.Data {
            let v = d.snapshotValues
            return d.rows(v.indices.filter { abs(v[$0]) <= c })
        }
        var kept = inside(synthetic)
        while kept.count < target { kept.append(inside(hooks.draw(target - kept.count))) }
        return kept.prefix(target)
    }

    struct Kind: TrainingStepKind {
        var key: String { "keep_interval" }
        func parse(_ r: ConfigReader) -> (any TrainingStep)? {
            let c = r.double("c", allowed: "a number > 0") { $0 > 0 }
            r.finish(allowedKeys: ["c"])
            return c.map(KeepInterval.init)
        }
    }
}

let testRegistry = Registry.standard.adding(family: BernoulliDescriptor()).adding(realKind: BernoulliRealData.Kind())
    .adding(step: KeepInterval.Kind())

// MARK: - Tests

/// The seams: a family, a real-data kind and a policy step registered from outside
/// CollapseKit run end to end; the metric context hands each metric what it declares.
struct SeamsTests {
    static let bernoulli = """
    name: bernoulli
    replicates: 4000
    generations: 10
    samples: 20
    model: { family: bernoulli }
    real: { distribution: bernoulli, p: 0.3 }
    policy: { kind: replace }
    """

    /// E[p̂_t] = p and E[p̂_t(1 − p̂_t)] = (1 − 1/n)^(t+1) p(1 − p), within 4 SE at every t.
    @Test func bernoulliFollowsWrightFisher() throws {
        let cell = try TestRun.run(Self.bernoulli, registry: testRegistry)
        let n = 20.0, p = 0.3
        for t in 0...10 {
            let mean = MonteCarlo(TestRun.values(cell, .mean, generation: t))
            #expect(mean.agrees(with: p), "t=\(t): \(mean.mean) ± \(mean.standardError)")
            let h = MonteCarlo(TestRun.values(cell, .heterozygosity, generation: t))
            let theory = pow(1 - 1 / n, Double(t + 1)) * p * (1 - p)
            #expect(h.agrees(with: theory), "t=\(t): \(h.mean) ± \(h.standardError) vs \(theory)")
        }
    }

    /// The context holds R₀ and the training set the model was fitted to. With α = 0,
    /// p̂₀ is R₀'s frequency, so `tv` (|p̂_t − x̄(R₀)|) is exactly |p̂_t − p̂₀| in every
    /// chain; a training set with one value left gives a model at 0 or 1, and the other
    /// way round.
    @Test func metricsSeeTheTrainingSetAndR0() throws {
        let cell = try TestRun.run(Self.bernoulli, overrides: ["replicates=200"], registry: testRegistry)
        let m = cell.metrics.count, mean = try #require(cell.metrics.firstIndex(of: .mean))
        let tv = try #require(cell.metrics.firstIndex(of: .tv)), support = try #require(cell.metrics.firstIndex(of: .supportSize))
        var moved = 0
        for chain in cell.chains {
            let generations = chain.generationCount(metricCount: m)
            #expect(generations == 11)
            let p0 = chain.values[mean]
            for t in 0..<generations {
                let row = Array(chain.values[(t * m)..<((t + 1) * m)])
                #expect(abs(row[tv] - abs(row[mean] - p0)) < 1e-15, "r\(chain.replicate) t=\(t)")
                #expect((row[support] == 1) == (row[mean] == 0 || row[mean] == 1), "r\(chain.replicate) t=\(t)")
                if row[tv] > 0 { moved += 1 }
            }
        }
        #expect(moved > 0)
    }

    /// `accumulate` on points grows the training set in place: across a chain of G
    /// generations the copies forced by shared storage total O(G·n) elements (at most R₀
    /// once per generation while a metric holds it), not the O(G²·n) of copying the pool.
    @Test func accumulateOnPointsDoesNotCopyThePool() throws {
        let descriptor = BernoulliDescriptor()
        let registry = Registry.standard.adding(family: descriptor).adding(realKind: BernoulliRealData.Kind())
        let g = 200, n = 20
        _ = try TestRun.run(Self.bernoulli, overrides: ["replicates=1", "policy.kind=accumulate", "generations=\(g)",
                                                        "metrics=[mean, support_size]"], registry: registry)
        #expect(descriptor.counter.total <= 2 * n, "copied \(descriptor.counter.total) elements")
        // The pool itself holds (G + 1)·n points at the end: copying it every generation
        // would cost Σ (t + 1)·n ≈ G²n/2 = 400 000 elements.
    }

    @Test func registeredFamilyKeysAreValidated() {
        let errors = TestRun.configErrors(Self.bernoulli, overrides: ["model.prior=-1", "model.estimator=mle"],
                                          registry: testRegistry)
        #expect(errors.contains("model.prior: got -1; allowed: a number ≥ 0 (pseudo-counts per outcome)"), "\(errors)")
        #expect(errors.contains("model.estimator: got a value with model.family bernoulli; allowed: estimator only with model.family gaussian"))
        let mismatch = TestRun.configErrors("model: { family: bernoulli }\nreal: { distribution: normal }", registry: testRegistry)
        #expect(mismatch == ["real.distribution: got 'normal' with model.family bernoulli; allowed: one of bernoulli for model.family bernoulli"])
        // Unregistered, it is an unknown family (listing the registered ones).
        #expect(TestRun.configErrors("model: { family: bernoulli }").first
                == "model.family: got 'bernoulli'; allowed: one of gaussian, categorical, kde, gmm, linear_regression, copula, ngram, external")
        #expect(TestRun.configErrors("model: { family: gaussian }\nreal: { distribution: bernoulli }").first?
            .hasPrefix("real.distribution: got 'bernoulli'; allowed: one of normal, student_t") == true)
    }

    /// Registered from outside, the family writes a results folder like any other.
    @Test func registeredFamilyRunsIntoAResultsFolder() throws {
        let experiment = try ConfigLoader.parseExperiment(text: Self.bernoulli, overrides: ["replicates=8"],
                                                          registry: testRegistry)
        let folder = OutputFolder(path: FileManager.default.temporaryDirectory
            .appendingPathComponent("collapse-seams-\(UUID().uuidString)").path)
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let run = try ResumableRun(experiment: experiment, folder: folder, shard: nil)
        #expect(try run.run(jobs: 2, shouldStop: { false }, progress: {}))
        try run.finish(facts: RunFacts(toolVersion: "test", gitCommit: nil, startedAt: Date(), finishedAt: Date(),
                                       jobs: 2, command: []))
        let metrics = try String(contentsOf: folder.url.appendingPathComponent("metrics.csv"), encoding: .utf8)
        let lines = metrics.split(separator: "\n")
        #expect(lines.count == 1 + 8 * 11 * 4)
        #expect(metrics.contains(",heterozygosity,") && metrics.contains(",support_size,"))
    }

    /// Truncation by a step: N(0, 1) real data, MLE, n = 10⁴, keep |x| ≤ c. After one
    /// generation E[σ̂²] = (1 − 2cφ(c)/(2Φ(c) − 1))·(n − 1)/n, the truncated-normal variance
    /// of n points (Johnson, Kotz & Balakrishnan, vol. 1, §13.10), within 4 SE.
    @Test(arguments: [1.0, 1.5])
    func intervalStepTruncatesTheNextTrainingSet(c: Double) throws {
        let yaml = """
        replicates: 200
        generations: 1
        samples: 10000
        metrics: [variance]
        policy: { kind: replace, keep_interval: { c: \(c) } }
        """
        let config = try TestRun.config(yaml, registry: testRegistry)
        #expect(config.sampler == .samples)
        #expect(config.policy.steps.count == 1)
        let cell = TestRun.run(config)
        let phi = exp(-c * c / 2) / (2 * Double.pi).squareRoot()
        let truncated = 1 - 2 * c * phi / (2 * Probability.normalCDF(c) - 1)
        let v = MonteCarlo(TestRun.values(cell, .variance, generation: 1))
        #expect(v.agrees(with: truncated * 9999 / 10000), "c=\(c): \(v.mean) ± \(v.standardError) vs \(truncated)")
        // A step looks at the points: exact statistics are refused and say why.
        let errors = TestRun.configErrors(yaml + "\nsampler: statistics", registry: testRegistry)
        #expect(errors == ["sampler: got 'statistics'; allowed: samples or auto here: policy.keep_interval looks at the generated points"])
        #expect(TestRun.configErrors(yaml).first == "policy.keep_interval: got an unknown key; allowed: the keys kind, real_fraction, real_source, synthetic_size, curate, upsample")
    }

    /// Cell ids, stream keys and config hashes are pinned (the committed results depend
    /// on them): an experiment without a sweep has the id of `{}`; a sweep cell the
    /// FNV-1a of its parameters.
    @Test func cellIdsStreamKeysAndHashesArePinned() throws {
        let replace = try ConfigLoader.loadExperiment(path: Self.repository("experiments/gaussian-replace.yaml"))
        #expect(replace.cells.map(\.id) == ["08f44b07b5901a25"])
        #expect(replace.hash == "46e46caf2b9ea9e5")
        #expect(replace.cells[0].streamKey(replicate: 3) == StreamKey(seed: 1, cell: 0x08f4_4b07_b590_1a25, replicate: 3))
        let gmm = try ConfigLoader.loadExperiment(path: Self.repository("experiments/gmm-two-modes.yaml"))
        #expect(gmm.hash == "67d75f6fcd56e81d")
        let swept = try ConfigLoader.parseExperiment(text: "sweep: { samples: [10, 20] }")
        #expect(swept.cells.map(\.id) == swept.cells.map { Hashing.hex(Hashing.fnv1a64(JSONValue.map($0.parameters).jsonText(pretty: false))) })
        #expect(swept.cells.map(\.id) == ["50967d3539a702af", "69b9fc3547a725ba"])
    }

    static func repository(_ path: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(path).path
    }
}
