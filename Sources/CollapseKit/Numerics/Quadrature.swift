import CGSL

/// Adaptive quadrature through GSL's `gsl_integration_qags`.
public enum Quadrature {
    private final class Box {
        let f: (Double) -> Double
        init(_ f: @escaping (Double) -> Double) { self.f = f }
    }

    /// ∫_a^b f, or nil when GSL reports that the requested accuracy was not reached.
    public static func integrate(from a: Double, to b: Double, relativeTolerance: Double = 1e-10,
                                 _ f: @escaping (Double) -> Double) -> Double? {
        GSLRuntime.ensureConfigured()
        let box = Box(f)
        let limit = 1000
        guard let work = gsl_integration_workspace_alloc(limit) else { return nil }
        defer { gsl_integration_workspace_free(work) }
        return withExtendedLifetime(box) {
            var function = gsl_function(
                function: { x, params in
                    Unmanaged<Box>.fromOpaque(params!).takeUnretainedValue().f(x)
                },
                params: Unmanaged.passUnretained(box).toOpaque())
            var result = 0.0, error = 0.0
            let status = gsl_integration_qags(&function, a, b, 0, relativeTolerance, limit, work,
                                              &result, &error)
            return status == Int32(GSL_SUCCESS) ? result : nil
        }
    }
}
