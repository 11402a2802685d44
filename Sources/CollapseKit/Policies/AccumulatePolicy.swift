/// `accumulate`: R₀ plus every output so far, (t+1)·n points at generation t
/// (Gerstgrasser et al. 2024). The training set is the pool, grown in place: O(n) a
/// generation on points, a running merge on sufficient statistics.
public struct AccumulatePolicy: TrainingPolicy, PolicyKind {
    public init() {}
    public var kind: String { "accumulate" }

    public func composition(generation t: Int, generations G: Int, samples n: Int) -> (real: Int, synthetic: Int)? {
        (n, t * n)
    }

    public func next<A: TrainingAssembler>(generation t: Int, generations G: Int, samples n: Int,
                                           training: inout A.TrainingSet, pool: inout A.TrainingSet?,
                                           assembler: A) {
        assembler.append(assembler.synthetic, to: &training)
    }
}

/// `accumulate_subsample`: n points drawn without replacement from the pool of R₀ and
/// every output so far (Kazdan et al. 2024, a fixed compute budget). It subsamples
/// the points themselves, so it runs on points for every family.
public struct AccumulateSubsamplePolicy: TrainingPolicy, PolicyKind {
    public init() {}
    public var kind: String { "accumulate_subsample" }

    public func composition(generation t: Int, generations G: Int, samples n: Int) -> (real: Int, synthetic: Int)? {
        nil
    }

    public var needsPointsReason: String? { "policy.kind accumulate_subsample subsamples the points themselves" }

    /// R₀ and the t outputs so far.
    public func poolSize(generation t: Int, generations G: Int, samples n: Int) -> Int {
        n + t * outputSize(samples: n)
    }

    public func next<A: TrainingAssembler>(generation t: Int, generations G: Int, samples n: Int,
                                           training: inout A.TrainingSet, pool: inout A.TrainingSet?,
                                           assembler: A) {
        var all = pool ?? assembler.initialReal
        pool = nil  // so the append below does not copy the pool
        assembler.append(assembler.synthetic, to: &all)
        training = assembler.subsample(all, count: n)
        pool = all
    }
}
