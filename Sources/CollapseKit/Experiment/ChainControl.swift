import Synchronization

/// What a running chain obeys and reports between generations: whether to stop (a
/// stopped chain is dropped, not finished) and one more generation done. The chain loop
/// asks once per generation, so both must be cheap: `shouldStop` is an atomic load
/// behind a closure, the count a plain store to the worker's own counter.
struct ChainControl: Sendable {
    let shouldStop: @Sendable () -> Bool
    let counter: GenerationCounter.Slot?

    /// Never stops, counts nothing: for callers that want every chain whole.
    static let never = ChainControl(shouldStop: { false }, counter: nil)
}

/// The generations the chains of a run have done, for a progress display to read while
/// they run. Each worker counts into its own slot (so counting once per generation costs
/// a plain store, with no cache line shared between workers); ``value`` adds the slots
/// up. A chain that stops early (a fatal event) counts its remaining generations when it
/// ends, so a finished run reaches the total; an interrupted chain takes its count back.
public final class GenerationCounter: Sendable {
    private let slots: [Slot]

    /// A counter for up to `workers` workers running at once.
    public init(workers: Int) {
        slots = (0..<max(1, workers)).map { _ in Slot() }
    }

    /// The number of workers it can count for.
    public var workers: Int { slots.count }

    /// The generations counted so far.
    public var value: Int { slots.reduce(0) { $0 + $1.count.load(ordering: .relaxed) } }

    /// Worker `worker`'s slot: only that worker may add to it.
    func slot(_ worker: Int) -> Slot { slots[worker] }

    /// One worker's count. It has a single writer, so `add` is a load and a store, not
    /// a read-modify-write; readers on other threads see a recent value.
    final class Slot: Sendable {
        let count = Atomic<Int>(0)
        // Keeps the next slot's counter off this one's cache line (no false sharing).
        private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

        func add(_ n: Int) { count.store(count.load(ordering: .relaxed) &+ n, ordering: .relaxed) }
    }
}
