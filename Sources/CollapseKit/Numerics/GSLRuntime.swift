import CGSL

/// One-time GSL set-up: GSL's default error handler aborts the process, so it is
/// switched off before the first GSL call and every status is checked by the caller.
enum GSLRuntime {
    /// Evaluated once (Swift initialises static lets exactly once, thread-safely).
    static let configured: Bool = {
        _ = gsl_set_error_handler_off()
        return true
    }()

    /// Call before touching GSL from any entry point.
    @inline(__always)
    static func ensureConfigured() { _ = configured }

    /// The version of the GSL library linked at run time.
    public static var version: String { String(cString: collapse_gsl_version()) }
}

/// The linked GSL's version string, for manifests.
public var gslVersion: String { GSLRuntime.version }
