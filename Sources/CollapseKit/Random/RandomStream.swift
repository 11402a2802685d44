import CGSL

/// One chain's source of randomness: owns a GSL generator seeded from a
/// ``StreamKey``. Not shared between threads: each chain makes its own.
///
/// All variates come from GSL's `gsl_ran_*` algorithms; Gaussian draws use
/// Marsaglia & Tsang's ziggurat (`gsl_ran_gaussian_ziggurat`).
public final class RandomStream {
    let rng: UnsafeMutablePointer<gsl_rng>
    public let algorithm: GeneratorAlgorithm
    public let key: StreamKey

    public init(key: StreamKey, algorithm: GeneratorAlgorithm = .default) {
        GSLRuntime.ensureConfigured()
        // Unseeded: the keyed seeding below writes the whole state.
        guard let rng = collapse_rng_alloc_unseeded(algorithm.gslType) else {
            fatalError("allocating a generator failed: out of memory")
        }
        let status = collapse_rng_set_key(rng, key.seed, key.cell, key.replicate)
        precondition(status == 0, "no keyed seeding for generator \(algorithm.rawValue)")
        self.rng = rng
        self.algorithm = algorithm
        self.key = key
    }

    deinit { gsl_rng_free(rng) }

    /// Raw output of the underlying generator in [min, max] (for tests and benchmarks).
    @inline(__always) public func nextRaw() -> UInt { gsl_rng_get(rng) }

    /// Uniform on [0, 1).
    @inline(__always) public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// Standard normal variate.
    @inline(__always) public func standardNormal() -> Double {
        gsl_ran_gaussian_ziggurat(rng, 1.0)
    }

    /// Student-t variate with `dof` degrees of freedom (location 0, scale 1).
    @inline(__always) public func studentT(dof: Double) -> Double {
        gsl_ran_tdist(rng, dof)
    }

    /// `count` distinct indices drawn uniformly without replacement from 0..<population,
    /// in increasing order (GSL's `gsl_ran_choose`, Knuth's selection sampling).
    public func choose(_ count: Int, from population: Int) -> [Int] {
        precondition(count <= population)
        if count == 0 { return [] }
        if count == population { return Array(0..<population) }
        let source = Array(0..<population)
        var chosen = [Int](repeating: 0, count: count)
        let status = source.withUnsafeBufferPointer { src in
            chosen.withUnsafeMutableBufferPointer { dst in
                gsl_ran_choose(rng, dst.baseAddress, count,
                               UnsafeMutableRawPointer(mutating: src.baseAddress),
                               population, MemoryLayout<Int>.stride)
            }
        }
        precondition(status == Int32(GSL_SUCCESS), "gsl_ran_choose(\(count) of \(population)) failed: \(status)")
        return chosen
    }
}
