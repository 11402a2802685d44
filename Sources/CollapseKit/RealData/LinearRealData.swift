/// `real.distribution: linear` — x ~ N(0, I_d), y = xᵀw* + ε, ε ~ N(0, σ²); w* given or
/// drawn once per chain (the linear-regression family's real data).
public struct LinearRealData: RealDataSpec {
    public var dimension: Int
    public var noiseSD: Double
    public var weights: [Double]?

    public init(dimension: Int, noiseSD: Double, weights: [Double]?) {
        self.dimension = dimension
        self.noiseSD = noiseSD
        self.weights = weights
    }

    public var kind: String { "linear" }
    public var jsonEntries: [String: JSONValue] {
        var map: [String: JSONValue] = ["dimension": .int(dimension), "noise_sd": .double(noiseSD)]
        if let weights { map["weights"] = .list(weights.map(JSONValue.double)) }
        return map
    }

    /// The kind's config name and parser (registered in ``Registry/standard``).
    public struct Kind: RealDataKind {
        public init() {}
        public var name: String { "linear" }
        public func parse(_ r: ConfigReader) -> (any RealDataSpec)? {
            let d = r.int("dimension", range: 1...10_000)
            let sd = r.double("noise_sd", default: 1, allowed: "a number ≥ 0") { $0 >= 0 }
            let w = r.doubles("weights", allowed: "a list of finite numbers, one per dimension")
            r.finish(allowedKeys: ["distribution", "dimension", "noise_sd", "weights"])
            guard let d, let sd else { return nil }
            if let w, w.count != d {
                r.fail("weights", "\(w.count) weights", "exactly \(d) weights (real.dimension)")
                return nil
            }
            return LinearRealData(dimension: d, noiseSD: sd, weights: w)
        }
    }
}
