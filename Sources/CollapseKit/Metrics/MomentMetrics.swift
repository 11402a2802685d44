/// A fitted model with a mean and a covariance: what the moment metrics read.
public protocol MomentModel {
    var mean: [Double] { get }
    var covariance: SymmetricMatrix { get }
}

/// The moment metrics of any family of points in ℝ^d whose model has a mean μ and a
/// covariance Σ (the Gaussian's parameters, a mixture's exact moments), against the
/// real mean m and covariance S: `mean` and `variance` (d = 1) or `trace` and `logdet`
/// (d > 1), `variance_ratio` (σ²/s², or tr Σ / tr S) and `mean_drift` (|μ − m|/s, or the
/// Mahalanobis distance √(δᵀS⁻¹δ)).
enum MomentMetrics {
    static func all<F: ContinuousFamily>(dimension d: Int) -> [Metric<F>] where F.Model: MomentModel {
        let moments: [Metric<F>] = d == 1
            ? [Metric(.mean) { $0.model.mean[0] }, Metric(.variance) { $0.model.covariance[0, 0] }]
            : [Metric(.trace) { $0.model.covariance.trace },
               Metric(.logdet) { c in inverse(c)?.logDeterminant ?? c.model.covariance.logDeterminant }]
        return moments + [
            Metric(.varianceRatio) { c in
                let real = c.family.real
                return d == 1 ? c.model.covariance[0, 0] / real.covariance[0, 0]
                    : c.model.covariance.trace / real.covariance.trace
            },
            Metric(.meanDrift) { c in
                let real = c.family.real
                return d == 1 ? abs(c.model.mean[0] - real.mean[0]) / real.marginalSDs[0]
                    : real.covarianceInverse.quadraticForm(delta(c)).squareRoot()
            },
        ]
    }

    /// μ − m.
    static func delta<F: ContinuousFamily>(_ c: MetricContext<F>) -> [Double] where F.Model: MomentModel {
        zip(c.model.mean, c.family.real.mean).map { $0 - $1 }
    }

    struct Inverse {
        var inverse: SymmetricMatrix
        var logDeterminant: Double
    }

    static let inverseKey = SharedValue<Inverse?>()

    /// Σ⁻¹ and log det Σ, computed once a generation (`logdet`, the Gaussian's `kl`); nil
    /// when Σ is singular.
    static func inverse<F: ContinuousFamily>(_ c: MetricContext<F>) -> (inverse: SymmetricMatrix, logDeterminant: Double)?
        where F.Model: MomentModel {
        c.shared(inverseKey) { c.model.covariance.positiveDefiniteInverse().map { Inverse(inverse: $0.inverse, logDeterminant: $0.logDeterminant) } }
            .map { ($0.inverse, $0.logDeterminant) }
    }
}
