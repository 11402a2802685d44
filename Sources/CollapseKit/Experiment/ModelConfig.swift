/// `model:` — the generator family and its fitting options (one case per family;
/// the family's name is the config's `model.family`).
public enum ModelConfig: Equatable, Sendable {
    /// N(μ, Σ) fitted by maximum likelihood or unbiasedly.
    case gaussian(estimator: GaussianFamily.Estimator)
    /// Empirical category frequencies plus additive smoothing α ≥ 0.
    case categorical(smoothing: Double)
    /// Gaussian kernel density estimate.
    case kde(bandwidth: Bandwidth)
    /// Gaussian mixture fitted by EM.
    case gmm(MixtureOptions)
    /// Ordinary least squares y ≈ xᵀw.
    case linearRegression(design: Design)

    /// The config names of the families (`model.family`).
    public enum Family: String, CaseIterable, Sendable {
        case gaussian, categorical, kde, gmm
        case linearRegression = "linear_regression"
    }

    public var family: Family {
        switch self {
        case .gaussian: return .gaussian
        case .categorical: return .categorical
        case .kde: return .kde
        case .gmm: return .gmm
        case .linearRegression: return .linearRegression
        }
    }

    /// `model.bandwidth` of `kde`.
    public enum Bandwidth: Equatable, Sendable {
        /// Scott's rule: kernel covariance n^(−2/(d+4)) Σ̂ (Σ̂ the unbiased sample covariance).
        case scott
        /// Silverman's rule: kernel covariance (n(d+2)/4)^(−2/(d+4)) Σ̂.
        case silverman
        /// A fixed kernel standard deviation h in every coordinate: covariance h²I.
        case fixed(Double)
    }

    /// `model.covariance` of `gmm`.
    public enum CovarianceType: String, CaseIterable, Sendable {
        case full, diagonal
    }

    /// The options of `gmm` (defaults as scikit-learn's `GaussianMixture`).
    public struct MixtureOptions: Equatable, Sendable {
        /// k ≥ 1.
        public var components: Int
        public var covariance: CovarianceType
        /// EM stops after this many iterations…
        public var maxIterations: Int
        /// …or when the mean log-likelihood per point improves by less than this.
        public var tolerance: Double
        /// Added to every component covariance's diagonal (the covariance floor).
        public var regularization: Double

        public init(components: Int, covariance: CovarianceType, maxIterations: Int,
                    tolerance: Double, regularization: Double) {
            self.components = components
            self.covariance = covariance
            self.maxIterations = maxIterations
            self.tolerance = tolerance
            self.regularization = regularization
        }
    }

    /// `model.design` of `linear_regression`.
    public enum Design: String, CaseIterable, Sendable {
        /// The same x within a chain (Kazdan et al. 2024; Gerstgrasser et al. 2024).
        case fixed
        /// New x ~ N(0, I) for every batch.
        case fresh
    }
}

extension ModelConfig {
    var jsonValue: JSONValue {
        var map: [String: JSONValue] = ["family": .string(family.rawValue)]
        switch self {
        case .gaussian(let estimator):
            map["estimator"] = .string(estimator.rawValue)
        case .categorical(let smoothing):
            map["smoothing"] = .double(smoothing)
        case .kde(let bandwidth):
            switch bandwidth {
            case .scott: map["bandwidth"] = .string("scott")
            case .silverman: map["bandwidth"] = .string("silverman")
            case .fixed(let h): map["bandwidth"] = .double(h)
            }
        case .gmm(let o):
            map["components"] = .int(o.components)
            map["covariance"] = .string(o.covariance.rawValue)
            map["max_iterations"] = .int(o.maxIterations)
            map["tolerance"] = .double(o.tolerance)
            map["regularization"] = .double(o.regularization)
        case .linearRegression(let design):
            map["design"] = .string(design.rawValue)
        }
        return .map(map)
    }
}
