import CGSL

/// The uniform generator under every chain's stream. Both are seeded from the full
/// stream key (see ``StreamKey``), never through GSL's 32-bit `gsl_rng_set`.
public enum GeneratorAlgorithm: String, CaseIterable, Codable, Sendable {
    /// GSL's Mersenne Twister (Matsumoto & Nishimura 1998); the default.
    case mt19937
    /// xoshiro256** (Blackman & Vigna 2021), run through GSL's generator interface.
    case xoshiro256starstar

    public static let `default`: GeneratorAlgorithm = .mt19937

    var gslType: UnsafePointer<gsl_rng_type> {
        switch self {
        case .mt19937: return collapse_rng_type_mt19937()
        case .xoshiro256starstar: return collapse_rng_type_xoshiro256starstar()
        }
    }
}
