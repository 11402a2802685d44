import Foundation

/// Location–scale Student-t, X = location + scale·T_ν, with ν > 2 so the variance
/// scale²·ν/(ν − 2) is finite. Heavy tails make tail loss visible.
public struct StudentTDistribution: RealDistribution {
    public let dof: Double
    public let location: Double
    public let scale: Double

    public init(dof: Double, location: Double, scale: Double) {
        self.dof = dof
        self.location = location
        self.scale = scale
    }

    public var dimension: Int { 1 }
    public var mean: [Double] { [location] }
    public var covariance: SymmetricMatrix {
        SymmetricMatrix(dimension: 1, values: [scale * scale * dof / (dof - 2)])
    }

    /// H = (ν+1)/2 [ψ((ν+1)/2) − ψ(ν/2)] + log(√ν B(ν/2, 1/2)) + log scale.
    public var entropy: Double {
        let v = dof
        return (v + 1) / 2 * (Probability.digamma((v + 1) / 2) - Probability.digamma(v / 2))
            + 0.5 * log(v) + Probability.logBeta(v / 2, 0.5) + log(scale)
    }

    public func sample(count: Int, stream: RandomStream) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count { out[i] = location + scale * stream.studentT(dof: dof) }
        return out
    }

    public func marginalCDF(_ x: Double, coordinate: Int) -> Double {
        Probability.tCDF((x - location) / scale, dof: dof)
    }

    public func marginalQuantile(_ p: Double, coordinate: Int) -> Double {
        location + scale * Probability.tQuantile(p, dof: dof)
    }

    /// log p(x) = −log(√ν B(ν/2, ½)) − log scale − (ν+1)/2 · log(1 + z²/ν), z = (x − location)/scale.
    public func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double {
        let z = (x[0] - location) / scale
        return -0.5 * log(dof) - Probability.logBeta(dof / 2, 0.5) - log(scale)
            - (dof + 1) / 2 * log1p(z * z / dof)
    }
}
