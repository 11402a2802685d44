import CGSL

extension RandomStream {
    /// An integer uniform on 0..<n, exactly (GSL's `gsl_rng_uniform_int`, which rejects
    /// the generator's outputs above the largest multiple of n instead of scaling a
    /// double). n must be ≥ 1 and no larger than the generator's range (2³² for both
    /// generators); the kde family uses it to pick a training point.
    @inline(__always) public func uniformIndex(below n: Int) -> Int {
        precondition(n >= 1 && UInt(n) - 1 <= gsl_rng_max(rng) - gsl_rng_min(rng),
                     "uniformIndex(below: \(n)) outside the generator's range")
        return Int(gsl_rng_uniform_int(rng, UInt(n)))
    }
}
