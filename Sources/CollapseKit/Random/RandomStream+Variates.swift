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

extension RandomStream {
    /// Fills `buffer` with N(mean, sd²) points x = mean + sd·z, z standard normal (the
    /// same z, in the same order, as as many ``standardNormal()`` calls), adding the
    /// rounded deviations x − mean of the first `prefix` points to `sum` and their
    /// squares to `squares`, in draw order.
    public func fillNormals(_ buffer: UnsafeMutableBufferPointer<Double>, mean: Double, sd: Double,
                            summingFirst prefix: Int, sum: inout Double, squares: inout Double) {
        let r = rng
        let k = buffer.count, inPrefix = max(0, min(k, prefix))
        var s = sum, q = squares
        for i in 0..<inPrefix {
            let x = mean + sd * gsl_ran_gaussian_ziggurat(r, 1.0)
            let delta = x - mean
            s += delta; q += delta * delta
            buffer[i] = x
        }
        for i in inPrefix..<k { buffer[i] = mean + sd * gsl_ran_gaussian_ziggurat(r, 1.0) }
        sum = s
        squares = q
    }
}
