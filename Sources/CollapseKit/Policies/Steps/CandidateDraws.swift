/// The candidate loop shared by curation and upsampling: examine the policy's synthetic
/// points one by one, then draw more from the model in batches of `batch`, until the
/// step is satisfied or `cap` candidates have been examined (`max_draws` × the
/// synthetic count).
struct CandidateDraws<Hooks: ModelHooks> {
    /// The rows kept, in the order examined.
    var kept: [Hooks.Data] = []
    var keptCount = 0
    /// Candidates examined.
    var examined = 0
    /// False when the cap was reached first.
    var satisfied = false

    /// Runs the loop. `examine(view, room)` looks at up to `room` rows of one batch, in
    /// order, and returns the rows it keeps, how many it looked at, and whether the
    /// step is now satisfied.
    init(first: Hooks.Data, batch: Int, cap: Int, hooks: Hooks,
         examine: (StepPoints, Int) -> (keep: [Int], looked: Int, done: Bool)) {
        var chunk = first
        while true {
            guard let view = StepPoints(chunk) else { preconditionFailure("a policy step on data it cannot judge") }
            let (keep, looked, done) = examine(view, cap - examined)
            examined += looked
            if !keep.isEmpty {
                kept.append(chunk.rows(keep))
                keptCount += keep.count
            }
            if done { satisfied = true; return }
            if examined >= cap { return }
            chunk = hooks.draw(min(batch, cap - examined))
        }
    }

    /// The kept rows as one set (`empty` when none).
    func result(empty: Hooks.Data) -> Hooks.Data { kept.isEmpty ? empty : Hooks.Data.concatenate(kept) }
}
