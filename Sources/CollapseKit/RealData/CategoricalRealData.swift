import Foundation

/// `real.distribution: uniform` — K equally likely categories.
public struct UniformRealData: RealDataSpec {
    public var categories: Int
    public init(categories: Int) { self.categories = categories }
    public var kind: String { "uniform" }
    public var dimension: Int { 1 }
    public var probabilities: [Double]? { [Double](repeating: 1 / Double(categories), count: categories) }
    public var jsonEntries: [String: JSONValue] { ["categories": .int(categories)] }

    /// The kind's config name and parser (registered in ``Registry/standard``).
    public struct Kind: RealDataKind {
        public init() {}
        public var name: String { "uniform" }
        public func parse(_ r: ConfigReader) -> (any RealDataSpec)? {
            let k = parseCategoryCount(r)
            r.finish(allowedKeys: ["distribution", "categories"])
            return k.map { UniformRealData(categories: $0) }
        }
    }
}

/// `real.distribution: zipf` — p_k ∝ k^(−s), k = 1…K.
public struct ZipfRealData: RealDataSpec {
    public var categories: Int
    public var exponent: Double
    public init(categories: Int, exponent: Double) {
        self.categories = categories
        self.exponent = exponent
    }
    public var kind: String { "zipf" }
    public var dimension: Int { 1 }
    public var probabilities: [Double]? {
        let raw = (1...categories).map { pow(Double($0), -exponent) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }
    public var jsonEntries: [String: JSONValue] { ["categories": .int(categories), "exponent": .double(exponent)] }

    /// The kind's config name and parser (registered in ``Registry/standard``).
    public struct Kind: RealDataKind {
        public init() {}
        public var name: String { "zipf" }
        public func parse(_ r: ConfigReader) -> (any RealDataSpec)? {
            let k = parseCategoryCount(r)
            let s = r.double("exponent", default: 1, allowed: "a number ≥ 0 (p_k ∝ k^(−exponent))") { $0 >= 0 }
            r.finish(allowedKeys: ["distribution", "categories", "exponent"])
            guard let k, let s else { return nil }
            return ZipfRealData(categories: k, exponent: s)
        }
    }
}

/// `real.distribution: categorical` — explicit category probabilities.
public struct CategoricalRealData: RealDataSpec {
    public var values: [Double]
    public init(probabilities: [Double]) { values = probabilities }
    public var kind: String { "categorical" }
    public var dimension: Int { 1 }
    public var probabilities: [Double]? { values }
    public var jsonEntries: [String: JSONValue] { ["probabilities": .list(values.map(JSONValue.double))] }

    /// The kind's config name and parser (registered in ``Registry/standard``).
    public struct Kind: RealDataKind {
        public init() {}
        public var name: String { "categorical" }
        public func parse(_ r: ConfigReader) -> (any RealDataSpec)? {
            let p = r.doubles("probabilities", allowed: "a list of at least 2 numbers > 0 summing to 1") { $0 > 0 }
            r.finish(allowedKeys: ["distribution", "probabilities"])
            guard let p else {
                if !r.has("probabilities") { r.fail("probabilities", "nothing", "a list of at least 2 numbers > 0 summing to 1") }
                return nil
            }
            let total = p.reduce(0, +)
            if p.count < 2 || abs(total - 1) > 1e-9 {
                r.fail("probabilities", "\(p.count) probabilities summing to \(NumberFormat.double(total))",
                       "a list of at least 2 numbers > 0 summing to 1")
                return nil
            }
            return CategoricalRealData(probabilities: p)
        }
    }
}

/// `categories:` of the discrete kinds.
func parseCategoryCount(_ r: ConfigReader) -> Int? {
    r.int("categories", range: 2...100_000_000)
}
