import CGSL

extension RandomStream {
    /// χ² variate with `dof` > 0 degrees of freedom (GSL's `gsl_ran_chisq`, a gamma
    /// variate by Marsaglia & Tsang's method).
    @inline(__always) public func chiSquared(dof: Double) -> Double { gsl_ran_chisq(rng, dof) }

    /// Binomial(n, p) variate (GSL's `gsl_ran_binomial`: inversion for small n·p, else
    /// Kachitvichyanukul & Schmeiser's BTPE). n must fit in 32 bits.
    @inline(__always) public func binomial(_ n: Int, probability p: Double) -> Int {
        Int(gsl_ran_binomial(rng, p, UInt32(n)))
    }
}
