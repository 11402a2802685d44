import Testing
@testable import CollapseKit

/// Training-set size and composition for every policy, with tagged data: R₀ holds
/// 1000+i, fresh real draws are negative, generation k's output holds 10000·(k+1)+i.
struct PolicyTests {
    let n = 10
    var initialReal: Dataset { Dataset(values: (0..<n).map { 1000 + Double($0) }, dimension: 1) }
    func output(_ k: Int, size: Int) -> Dataset {
        Dataset(values: (0..<size).map { 10000 * Double(k + 1) + Double($0) }, dimension: 1)
    }
    let stream = RandomStream(key: StreamKey(seed: 1, cell: 2, replicate: 3))

    /// Generation t's training set, built as the chain loop builds it: generations
    /// 1…t in turn, each from the previous training set and generation k − 1's output,
    /// through the loop's own assembler on points.
    func build(_ policy: any TrainingPolicy, t: Int, generations: Int = 10) -> Dataset {
        let size = policy.outputSize(samples: n)
        let assembler = LoopAssembler(representation: PointsRepresentation(family: TaggedFamily()),
                                      initialReal: initialReal, initialRealPoints: initialReal,
                                      synthetic: initialReal, truth: nil, stream: stream)
        var training = initialReal
        var pool: Dataset?
        for k in 1...t {
            let taken = policy.syntheticTaken(generation: k, generations: generations, samples: n)
            assembler.synthetic = output(k - 1, size: size).prefix(taken)
            policy.next(generation: k, generations: generations, samples: n, training: &training, pool: &pool,
                        assembler: assembler)
        }
        return training
    }

    /// A family whose real draws are tagged −1, −2, … (fresh real points); it is never fitted.
    struct TaggedFamily: ContinuousFamily {
        let real = try! RealReference(NormalDistribution(mean: [0], covariance: .diagonal([1]))!)
        func makeTruth(requested: Set<MetricName>, stream: RandomStream) -> RowPool? { nil }
        func drawReal(_ count: Int, truth: RowPool?, stream: RandomStream) -> Dataset {
            Dataset(values: (0..<count).map { -1 - Double($0) }, dimension: 1)
        }
        func fit(_ data: Dataset, stream: RandomStream) -> Int { data.count }
        func diagnose(_ model: Int) -> [ChainEvent.Kind] { [] }
        func sample(_ model: Int, count: Int, truth: RowPool?, stream: RandomStream) -> Dataset { drawReal(count, truth: nil, stream: stream) }
        static func metrics(real: RealDataConfig) -> [Metric<TaggedFamily>] { [] }
    }

    @Test func replaceTrainsOnThePreviousOutputOnly() {
        let set = build(ReplacePolicy(), t: 4)
        #expect(set == output(3, size: n))
    }

    @Test func accumulateKeepsRealDataAndEveryOutput() {
        let policy = AccumulatePolicy()
        let set = build(policy, t: 3)
        #expect(set.count == 4 * n)
        #expect(policy.trainingSize(generation: 3, generations: 10, samples: n) == 4 * n)
        #expect(Array(set.values[0..<n]) == initialReal.values)
        for k in 0..<3 { #expect(Array(set.values[((k + 1) * n)..<((k + 2) * n)]) == output(k, size: n).values) }
    }

    /// n distinct points from the pool R₀ ∪ S₀ ∪ … ∪ S_{t−1}; each pool point is kept
    /// with probability n/|pool|, so the real share has mean 1/(t+1).
    @Test func accumulateSubsampleDrawsWithoutReplacementFromThePool() {
        let policy = AccumulateSubsamplePolicy()
        var realShares: [Double] = []
        for _ in 0..<2000 {
            let set = build(policy, t: 3)
            #expect(set.count == n)
            #expect(Set(set.values).count == n)
            #expect(set.values.allSatisfy { (1000..<1010).contains($0) || ($0 >= 10000 && $0 < 40010) })
            realShares.append(Double(set.values.filter { $0 < 2000 }.count) / Double(n))
        }
        #expect(MonteCarlo(realShares).agrees(with: 0.25))
    }

    @Test func mixWithFixedRealDataTakesASubsetOfR0() {
        let policy = MixPolicy(realFraction: .constant(0.3), realSource: .fixed)
        let set = build(policy, t: 2)
        #expect(set.count == n)
        let real = set.values.filter { $0 >= 1000 && $0 < 1010 }
        #expect(real.count == 3 && Set(real).count == 3)
        #expect(Array(set.values[3...]) == Array(output(1, size: n).values[0..<7]))
    }

    @Test func mixWithFreshRealDataDrawsNewPoints() {
        let policy = MixPolicy(realFraction: .constant(0.3), realSource: .fresh)
        let set = build(policy, t: 2)
        #expect(Array(set.values[0..<3]) == [-1, -2, -3])
        #expect(set.count == n)
    }

    /// synthetic_size decouples the synthetic count: round(f·n) real plus
    /// synthetic_size synthetic points (Alemohammad et al.'s fresh-data loop).
    @Test func syntheticSizeSetsTheSyntheticCount() {
        let policy = MixPolicy(realFraction: .constant(0.2), realSource: .fresh, syntheticSize: 25)
        #expect(policy.outputSize(samples: n) == 25)
        let set = build(policy, t: 1)
        #expect(set.count == 27)
        #expect(set.values.filter { $0 < 0 }.count == 2)
        #expect(policy.composition(generation: 1, generations: 10, samples: n)! == (2, 25))
    }

    @Test func schedulesGiveOneFractionPerGeneration() {
        let ramp = RealFractionSchedule.ramp(from: 0, to: 0.5)
        #expect(ramp.fraction(generation: 1, generations: 6) == 0)
        #expect(abs(ramp.fraction(generation: 6, generations: 6) - 0.5) < 1e-15)
        #expect(abs(ramp.fraction(generation: 3, generations: 6) - 0.2) < 1e-15)
        let list = RealFractionSchedule.perGeneration([0.1, 0.2, 0.3])
        #expect((1...3).map { list.fraction(generation: $0, generations: 3) } == [0.1, 0.2, 0.3])
        let policy = MixPolicy(realFraction: list, realSource: .fixed)
        #expect(policy.composition(generation: 2, generations: 3, samples: n)! == (2, 8))
    }
}
