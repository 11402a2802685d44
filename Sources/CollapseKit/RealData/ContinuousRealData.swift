import Foundation

/// `real.distribution: normal` — N(m, S) in d ≥ 1 dimensions, from `mean`, `sd` (a
/// diagonal S) or `covariance`, and optionally `dimension`.
public struct NormalRealData: RealDataSpec {
    public var mean: [Double]
    public var covariance: SymmetricMatrix

    public init(mean: [Double], covariance: SymmetricMatrix) {
        self.mean = mean
        self.covariance = covariance
    }

    public var kind: String { "normal" }
    public var dimension: Int { mean.count }
    /// N(m, S); nil when S is not positive definite (the parser refuses such a config).
    public func makeDistribution() -> (any RealDistribution)? { NormalDistribution(mean: mean, covariance: covariance) }

    public var jsonEntries: [String: JSONValue] {
        let d = mean.count, cov = covariance
        var map: [String: JSONValue] = [:]
        let sds = (0..<d).map { cov[$0, $0].squareRoot() }
        let isDiagonal = (0..<d).allSatisfy { i in (0..<d).allSatisfy { j in i == j || cov[i, j] == 0 } }
        // `sd` only when it reproduces the covariance bit for bit; else `covariance`,
        // so the resolved config always reads back to the same distribution.
        let sdIsExact = isDiagonal && (0..<d).allSatisfy { sds[$0] * sds[$0] == cov[$0, $0] }
        map["mean"] = d == 1 ? .double(mean[0]) : .list(mean.map(JSONValue.double))
        if sdIsExact {
            map["sd"] = d == 1 ? .double(sds[0]) : .list(sds.map(JSONValue.double))
        } else {
            map["covariance"] = .list((0..<d).map { i in .list((0..<d).map { .double(cov[i, $0]) }) })
        }
        return map
    }

    /// The kind's config name and parser (registered in ``Registry/standard``).
    public struct Kind: RealDataKind {
        public init() {}
        public var name: String { "normal" }

        public func parse(_ r: ConfigReader) -> (any RealDataSpec)? {
            let explicitDim = r.int("dimension", default: 0, range: 1...10_000)
            let mean = r.doubles("mean", allowed: "a finite number or a list of them")
            let sd = r.doubles("sd", allowed: "a number > 0 or a list of them") { $0 > 0 }
            let covValue = r.raw("covariance")
            r.finish(allowedKeys: ["distribution", "dimension", "mean", "sd", "covariance"])

            var covRows: [[Double]]?
            if let covValue {
                covRows = Self.parseMatrix(covValue, field: r.field("covariance"), reader: r)
                if covRows == nil { return nil }
                if sd != nil {
                    r.fail("sd", "both sd and covariance", "one of sd or covariance")
                    return nil
                }
            }
            let lengths = [mean.map(\.count), sd.map(\.count), covRows.map(\.count),
                           explicitDim.flatMap { $0 == 0 ? nil : $0 }].compactMap { $0 }.filter { $0 != 1 }
            let d = lengths.max() ?? 1
            if lengths.contains(where: { $0 != d }) {
                r.fail("mean", "lengths \(lengths.map(String.init).joined(separator: ", ")) among dimension, mean, sd and covariance",
                       "one dimension d: lists of length d (a single number is repeated)")
                return nil
            }
            if let e = explicitDim, e != 0, e != d {
                r.fail("dimension", String(e), "\(d), the length of the mean/sd/covariance lists")
                return nil
            }
            let meanVec = mean.map { $0.count == 1 ? [Double](repeating: $0[0], count: d) : $0 }
                ?? [Double](repeating: 0, count: d)
            let covariance: SymmetricMatrix
            if let covRows {
                if covRows.count != d || covRows.contains(where: { $0.count != d }) {
                    r.fail("covariance", "a \(covRows.count)-row matrix", "a \(d)×\(d) matrix")
                    return nil
                }
                covariance = SymmetricMatrix(dimension: d, values: covRows.flatMap { $0 })
                for i in 0..<d { for j in 0..<d where abs(covariance[i, j] - covariance[j, i]) > 1e-12 * max(1, abs(covariance[i, j])) {
                    r.fail("covariance", "[\(i)][\(j)] = \(NumberFormat.double(covariance[i, j])) but [\(j)][\(i)] = \(NumberFormat.double(covariance[j, i]))",
                           "a symmetric matrix")
                    return nil
                } }
            } else {
                let sds = sd.map { $0.count == 1 ? [Double](repeating: $0[0], count: d) : $0 }
                    ?? [Double](repeating: 1, count: d)
                covariance = .diagonal(sds.map { $0 * $0 })
            }
            guard covariance.cholesky() != nil else {
                let values = covariance.values.map { NumberFormat.double($0) }.joined(separator: ", ")
                if covRows == nil {
                    r.fail("sd", "sd values whose squares are \(values)", "sd values whose squares are positive doubles")
                } else {
                    r.fail("covariance", values, "a positive-definite matrix")
                }
                return nil
            }
            return NormalRealData(mean: meanVec, covariance: covariance)
        }

        static func parseMatrix(_ v: JSONValue, field: String, reader: ConfigReader) -> [[Double]]? {
            guard case .list(let rows) = v else {
                reader.fail("covariance", v.shortDescription, "a list of rows, e.g. [[1, 0.5], [0.5, 1]]")
                return nil
            }
            var out: [[Double]] = []
            for (i, row) in rows.enumerated() {
                guard case .list(let items) = row else {
                    reader.fail("covariance", row.shortDescription, "a list of rows, e.g. [[1, 0.5], [0.5, 1]]")
                    return nil
                }
                var numbers: [Double] = []
                for (j, item) in items.enumerated() {
                    guard let x = ConfigReader.number(item, field: "\(field)[\(i)][\(j)]", allowed: "a finite number",
                                                      valid: { _ in true }, sink: reader.sinkForNested) else { return nil }
                    numbers.append(x)
                }
                out.append(numbers)
            }
            return out
        }
    }
}

/// `real.distribution: student_t` — location + scale · t_ν, ν > 2.
public struct StudentTRealData: RealDataSpec {
    public var dof: Double, location: Double, scale: Double

    public init(dof: Double, location: Double, scale: Double) {
        self.dof = dof
        self.location = location
        self.scale = scale
    }

    public var kind: String { "student_t" }
    public var dimension: Int { 1 }
    public func makeDistribution() -> (any RealDistribution)? {
        StudentTDistribution(dof: dof, location: location, scale: scale)
    }
    public var jsonEntries: [String: JSONValue] {
        ["dof": .double(dof), "location": .double(location), "scale": .double(scale)]
    }

    /// The kind's config name and parser (registered in ``Registry/standard``).
    public struct Kind: RealDataKind {
        public init() {}
        public var name: String { "student_t" }
        public func parse(_ r: ConfigReader) -> (any RealDataSpec)? {
            let dof = r.double("dof", allowed: "a number > 2 (the variance must be finite)") { $0 > 2 }
            let loc = r.double("location", default: 0, allowed: "a finite number")
            let scale = r.double("scale", default: 1, allowed: "a number > 0") { $0 > 0 }
            r.finish(allowedKeys: ["distribution", "dof", "location", "scale"])
            guard let dof, let loc, let scale else { return nil }
            return StudentTRealData(dof: dof, location: loc, scale: scale)
        }
    }
}

/// `real.distribution: mixture` — a 1-D normal mixture Σ w_c N(m_c, s_c²).
public struct MixtureRealData: RealDataSpec {
    public var weights: [Double], means: [Double], sds: [Double]

    public init(weights: [Double], means: [Double], sds: [Double]) {
        self.weights = weights
        self.means = means
        self.sds = sds
    }

    public var kind: String { "mixture" }
    public var dimension: Int { 1 }
    public func makeDistribution() -> (any RealDistribution)? {
        NormalMixtureDistribution(weights: weights, means: means, sds: sds)
    }
    public var jsonEntries: [String: JSONValue] {
        ["weights": .list(weights.map(JSONValue.double)), "means": .list(means.map(JSONValue.double)),
         "sds": .list(sds.map(JSONValue.double))]
    }

    /// The kind's config name and parser (registered in ``Registry/standard``).
    public struct Kind: RealDataKind {
        public init() {}
        public var name: String { "mixture" }
        public func parse(_ r: ConfigReader) -> (any RealDataSpec)? {
            let w = r.doubles("weights", allowed: "a list of numbers > 0 summing to 1") { $0 > 0 }
            let m = r.doubles("means", allowed: "a list of finite numbers")
            let s = r.doubles("sds", allowed: "a list of numbers > 0") { $0 > 0 }
            r.finish(allowedKeys: ["distribution", "weights", "means", "sds"])
            for key in ["weights", "means", "sds"] where !r.has(key) {
                r.fail(key, "nothing", "a list with one entry per mixture component")
            }
            guard let w, let m, let s else { return nil }
            if !(w.count == m.count && m.count == s.count) {
                r.fail("weights", "\(w.count) weights, \(m.count) means and \(s.count) sds",
                       "the same number of weights, means and sds")
                return nil
            }
            let total = w.reduce(0, +)
            if abs(total - 1) > 1e-9 {
                r.fail("weights", "weights summing to \(NumberFormat.double(total))", "weights summing to 1")
                return nil
            }
            return MixtureRealData(weights: w, means: m, sds: s)
        }
    }
}
