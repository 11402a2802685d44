/// Parsing of `model:` and `sampling:`, whose keys depend on the family.
extension ConfigLoader {
    /// The `model:` keys of each family besides `family`.
    static let modelKeys: [ModelConfig.Family: [String]] = [
        .gaussian: ["estimator"],
        .categorical: ["smoothing"],
        .kde: ["bandwidth"],
        .gmm: ["components", "covariance", "max_iterations", "tolerance", "regularization"],
        .linearRegression: ["design"],
    ]

    static func parseModel(_ r: ConfigReader) -> ModelConfig? {
        let familyName = r.string("family", default: "gaussian", oneOf: ModelConfig.Family.allCases.map(\.rawValue))
        guard let family = familyName.flatMap(ModelConfig.Family.init) else {
            for key in modelKeys.values.flatMap({ $0 }) { _ = r.raw(key) }
            r.finish()
            return nil
        }
        rejectOtherFamiliesKeys(r, family: family)
        defer { r.finish(allowedKeys: ["family"] + modelKeys[family]!) }
        switch family {
        case .gaussian:
            let estimator = r.string("estimator", default: "mle",
                                     oneOf: GaussianFamily.Estimator.allCases.map(\.rawValue))
            return estimator.flatMap(GaussianFamily.Estimator.init).map { .gaussian(estimator: $0) }
        case .categorical:
            let alpha = r.double("smoothing", default: 0, allowed: "a number ≥ 0 (additive smoothing α)") { $0 >= 0 }
            return alpha.map { .categorical(smoothing: $0) }
        case .kde:
            return parseBandwidth(r).map { .kde(bandwidth: $0) }
        case .gmm:
            let k = r.int("components", default: 2, range: 1...10_000, rangeText: "≥ 1")
            let cov = r.string("covariance", default: "full", oneOf: ModelConfig.CovarianceType.allCases.map(\.rawValue))
            let iterations = r.int("max_iterations", default: 100, range: 1...1_000_000, rangeText: "≥ 1")
            let tol = r.double("tolerance", default: 1e-3, allowed: "a number ≥ 0") { $0 >= 0 }
            let reg = r.double("regularization", default: 1e-6, allowed: "a number ≥ 0 (added to each covariance diagonal)") { $0 >= 0 }
            guard let k, let cov = cov.flatMap(ModelConfig.CovarianceType.init), let iterations, let tol, let reg else {
                return nil
            }
            return .gmm(ModelConfig.MixtureOptions(components: k, covariance: cov, maxIterations: iterations,
                                                   tolerance: tol, regularization: reg))
        case .linearRegression:
            let design = r.string("design", default: "fixed", oneOf: ModelConfig.Design.allCases.map(\.rawValue))
            return design.flatMap(ModelConfig.Design.init).map { .linearRegression(design: $0) }
        }
    }

    /// A key of another family is an error that says which family it belongs to.
    private static func rejectOtherFamiliesKeys(_ r: ConfigReader, family: ModelConfig.Family) {
        let own = Set(modelKeys[family]!)
        for other in ModelConfig.Family.allCases where other != family {
            for key in modelKeys[other]! where !own.contains(key) && r.has(key) {
                _ = r.raw(key)
                r.fail(key, "a value with model.family \(family.rawValue)",
                       "\(key) only with model.family \(other.rawValue)")
            }
        }
    }

    private static func parseBandwidth(_ r: ConfigReader) -> ModelConfig.Bandwidth? {
        let allowed = "scott, silverman or a kernel standard deviation > 0"
        switch r.raw("bandwidth") {
        case nil: return .scott
        case .string("scott")?: return .scott
        case .string("silverman")?: return .silverman
        case let v?:
            if case .string(let s) = v {
                r.fail("bandwidth", "'\(s)'", allowed)
                return nil
            }
            return ConfigReader.number(v, field: r.field("bandwidth"), allowed: allowed,
                                       valid: { $0 > 0 }, sink: r.sinkForNested).map { .fixed($0) }
        }
    }

    static func parseSampling(_ r: ConfigReader, family: ModelConfig.Family?) -> SamplingConfig? {
        let t = r.double("temperature", default: 1, allowed: "a number > 0") { $0 > 0 }
        let truncation = ["top_k", "top_p"]
        if let family, family != .categorical {
            for key in truncation where r.has(key) {
                r.fail(key, "a value with model.family \(family.rawValue)", "\(key) only with model.family categorical")
            }
        }
        let k = r.int("top_k", default: 0, range: 0...Int(Int32.max), rangeText: "≥ 0 (0 keeps every category)")
        let p = r.double("top_p", default: 1, allowed: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
        r.finish(allowedKeys: ["temperature"] + truncation)
        guard let t, let k, let p else { return nil }
        return SamplingConfig(temperature: t, topK: k, topP: p)
    }
}
