import Foundation

/// Maps data values on one axis to pixels, linearly or in log₁₀, and picks readable
/// tick values: linear ticks are Heckbert's "nice numbers" (1, 2, 5 × 10ᵏ; Graphics
/// Gems, 1990), log ticks are the powers of ten (with 2 and 5 between them when the
/// range spans fewer than two decades).
struct ChartScale {
    let low: Double
    let high: Double
    let isLog: Bool
    let pixelLow: Double
    let pixelHigh: Double
    /// Distance between linear ticks.
    let step: Double

    /// A scale covering `values` (finite ones; positive ones when `log`), padded to nice
    /// bounds on a linear axis.
    init(covering values: [Double], log: Bool, pixels: (Double, Double)) {
        let usable = values.filter { $0.isFinite && (!log || $0 > 0) }
        var lo = usable.min() ?? (log ? 1 : 0)
        var hi = usable.max() ?? (log ? 10 : 1)
        var step = 1.0
        if log {
            lo = pow(10, Foundation.log10(lo).rounded(.down))
            hi = pow(10, Foundation.log10(hi).rounded(.up))
            if lo == hi { hi = lo * 10 }
        } else {
            if lo == hi {
                let pad = lo == 0 ? 1 : abs(lo) * 0.1
                lo -= pad
                hi += pad
            }
            step = Self.niceStep((hi - lo) / 5)
            lo = (lo / step).rounded(.down) * step
            hi = (hi / step).rounded(.up) * step
        }
        self.low = lo
        self.high = hi
        self.isLog = log
        self.pixelLow = pixels.0
        self.pixelHigh = pixels.1
        self.step = step
    }

    func map(_ v: Double) -> Double {
        let fraction = isLog
            ? (log10(max(v, low)) - log10(low)) / (log10(high) - log10(low))
            : (v - low) / (high - low)
        return pixelLow + fraction * (pixelHigh - pixelLow)
    }

    var ticks: [Double] {
        if isLog {
            let a = Int(log10(low).rounded()), b = Int(log10(high).rounded())
            var out: [Double] = []
            for k in a...b {
                let p = pow(10, Double(k))
                out.append(p)
                if b - a < 2, k < b { out += [2 * p, 5 * p] }
            }
            return out
        }
        var out: [Double] = []
        var v = low
        while v <= high + step * 1e-9 {
            out.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return out
    }

    /// The nice number (1, 2 or 5 × 10ᵏ) nearest above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let exponent = floor(log10(raw))
        let fraction = raw / pow(10, exponent)
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * pow(10, exponent)
    }

    /// A tick label: short, without trailing zeros.
    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e5 || a < 1e-3 { return String(format: "%.0e", v).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e-0", with: "e-") }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
