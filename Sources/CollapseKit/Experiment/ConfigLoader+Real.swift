import Foundation

/// Parsing of `real:`, one section per distribution.
extension ConfigLoader {
    static func parseReal(_ r: ConfigReader) -> RealDataConfig? {
        let kind = r.string("distribution", default: "normal", oneOf: RealDataConfig.names)
        switch kind {
        case "normal": return parseNormal(r)
        case "student_t":
            let dof = r.double("dof", allowed: "a number > 2 (the variance must be finite)") { $0 > 2 }
            let loc = r.double("location", default: 0, allowed: "a finite number")
            let scale = r.double("scale", default: 1, allowed: "a number > 0") { $0 > 0 }
            r.finish(allowedKeys: ["distribution", "dof", "location", "scale"])
            guard let dof, let loc, let scale else { return nil }
            return .studentT(dof: dof, location: loc, scale: scale)
        case "mixture":
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
            return .mixture(weights: w, means: m, sds: s)
        case "uniform":
            let k = parseCategoryCount(r)
            r.finish(allowedKeys: ["distribution", "categories"])
            return k.map { .uniform(categories: $0) }
        case "zipf":
            let k = parseCategoryCount(r)
            let s = r.double("exponent", default: 1, allowed: "a number ≥ 0 (p_k ∝ k^(−exponent))") { $0 >= 0 }
            r.finish(allowedKeys: ["distribution", "categories", "exponent"])
            guard let k, let s else { return nil }
            return .zipf(categories: k, exponent: s)
        case "categorical":
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
            return .categorical(probabilities: p)
        case "linear":
            let d = r.int("dimension", range: 1...10_000, rangeText: "≥ 1")
            let sd = r.double("noise_sd", default: 1, allowed: "a number ≥ 0") { $0 >= 0 }
            let w = r.doubles("weights", allowed: "a list of finite numbers, one per dimension")
            r.finish(allowedKeys: ["distribution", "dimension", "noise_sd", "weights"])
            guard let d, let sd else { return nil }
            if let w, w.count != d {
                r.fail("weights", "\(w.count) weights", "exactly \(d) weights (real.dimension)")
                return nil
            }
            return .linear(dimension: d, noiseSD: sd, weights: w)
        default:
            r.finish(allowedKeys: ["distribution"])
            return nil
        }
    }

    static func parseNormal(_ r: ConfigReader) -> RealDataConfig? {
        let explicitDim = r.int("dimension", default: 0, range: 1...10_000, rangeText: "≥ 1")
        let mean = r.doubles("mean", allowed: "a finite number or a list of them")
        let sd = r.doubles("sd", allowed: "a number > 0 or a list of them") { $0 > 0 }
        let covValue = r.raw("covariance")
        r.finish(allowedKeys: ["distribution", "dimension", "mean", "sd", "covariance"])

        var covRows: [[Double]]?
        if let covValue {
            covRows = parseMatrix(covValue, field: r.field("covariance"), reader: r)
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
            let flat = covRows.flatMap { $0 }
            covariance = SymmetricMatrix(dimension: d, values: flat)
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
        return .normal(mean: meanVec, covariance: covariance)
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

    static func parseCategoryCount(_ r: ConfigReader) -> Int? {
        r.int("categories", range: 2...100_000_000, rangeText: "≥ 2")
    }
}
