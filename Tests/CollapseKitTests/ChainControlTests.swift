import Synchronization
import Testing
@testable import CollapseKit

/// The runner's stop check and generation counter: chains stop within a generation of
/// being told to, are then dropped (and equal an uninterrupted run when run again), and
/// the counter counts one generation at a time up to replicates × (G + 1).
@Suite struct ChainControlTests {
    static let yaml = """
        replicates: 3
        generations: 40
        samples: 20
        policy: { kind: mix, real_fraction: 0.2 }
        metrics: [variance, w2]
        """

    /// One worker, 3 chains of 41 generations: `shouldStop` is asked before every
    /// generation (and before every chain), and sees the counter go up by one each
    /// time, from 0 to the total.
    @Test func theCounterMovesOneGenerationAtATime() throws {
        let experiment = try ConfigLoader.parseExperiment(text: Self.yaml)
        let counter = GenerationCounter(workers: 1)
        let seen = Mutex<[Int]>([])
        ExperimentRunner(experiment: experiment, jobs: 1).run(
            ChainRef.all(in: experiment.cells),
            shouldStop: { seen.withLock { $0.append(counter.value) }; return false }, counter: counter,
            finished: { _, _ in })
        let values = seen.withLock { $0 }
        // Consecutive repeats are the checks between chains.
        let steps = values.enumerated().filter { $0.offset == 0 || values[$0.offset - 1] != $0.element }.map(\.element)
        #expect(steps == Array(0...(3 * 41)))
        #expect(counter.value == 3 * 41)
    }

    /// Chains that overflow (temperature 10¹⁰) stop early; they count the generations
    /// they never ran, so the counter reaches replicates × (G + 1) with two workers.
    @Test func chainsThatStopEarlyStillCountTheirWholeLength() throws {
        let experiment = try ConfigLoader.parseExperiment(text: """
            replicates: 4
            generations: 200
            samples: 10
            sampling: { temperature: 1e10 }
            metrics: [variance, w2]
            """)
        let counter = GenerationCounter(workers: 2)
        let recorded = Mutex<[Int]>([])
        ExperimentRunner(experiment: experiment, jobs: 2).run(
            ChainRef.all(in: experiment.cells), shouldStop: { false }, counter: counter,
            finished: { _, result in recorded.withLock { $0.append(result.generationCount(metricCount: 2)) } })
        let counts = recorded.withLock { $0 }
        #expect(counts.count == 4)
        #expect(counts.allSatisfy { $0 < 201 }, "the chains did not stop early: \(counts)")
        #expect(counter.value == 4 * 201)
    }

    /// `shouldStop` turns true at its 21st call: the chain then running (the first:
    /// call 1 is the check before it, calls 2…20 before generations 0…18) stops at that
    /// check, is not handed to `finished`, takes back the 19 generations it counted, and
    /// no other chain starts.
    @Test func aStoppedChainStopsAtOnceAndIsDropped() throws {
        let experiment = try ConfigLoader.parseExperiment(text: Self.yaml)
        let counter = GenerationCounter(workers: 1)
        let calls = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        ExperimentRunner(experiment: experiment, jobs: 1).run(
            ChainRef.all(in: experiment.cells),
            shouldStop: { calls.wrappingAdd(1, ordering: .relaxed).newValue > 20 }, counter: counter,
            finished: { _, _ in finished.wrappingAdd(1, ordering: .relaxed) })
        #expect(calls.load(ordering: .relaxed) == 21)
        #expect(finished.load(ordering: .relaxed) == 0)
        #expect(counter.value == 0)
    }

    /// Stopped while two chains run (two workers), then the chains not
    /// finished run again: every chain equals the uninterrupted run's, bit for bit.
    @Test func droppedChainsRunAgainGiveTheUninterruptedResults() throws {
        let experiment = try ConfigLoader.parseExperiment(text: Self.yaml)
        let reference = ExperimentRunner(experiment: experiment, jobs: 1).results()[0].chains
        let chains = ChainRef.all(in: experiment.cells)
        let counter = GenerationCounter(workers: 2)
        let store = Mutex<[Int: ChainResult]>([:])
        // Two chains run at once; stop once 60 generations are done: at most one of
        // them has finished then (41 + 19), the other is dropped, the third never starts.
        ExperimentRunner(experiment: experiment, jobs: 2).run(
            chains, shouldStop: { counter.value >= 60 }, counter: counter,
            finished: { chain, result in store.withLock { $0[chain.replicate] = result } })
        let first = store.withLock { $0 }
        #expect(first.count <= 1, "\(first.count) chains finished")
        #expect(counter.value == first.count * 41)
        let rest = chains.filter { first[$0.replicate] == nil }
        ExperimentRunner(experiment: experiment, jobs: 2).run(
            rest, shouldStop: { false }, finished: { chain, result in store.withLock { $0[chain.replicate] = result } })
        let all = store.withLock { $0 }
        for r in 0..<3 {
            #expect(all[r]?.values.map(\.bitPattern) == reference[r].values.map(\.bitPattern), "replicate \(r)")
            #expect(all[r]?.events == reference[r].events)
        }
    }
}
