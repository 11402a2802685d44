/// Sorting doubles by their bits: a least-significant-digit radix sort (8 passes of 8
/// bits, Knuth, TAOCP vol. 3, §5.2.5) on the order-preserving map of IEEE 754 binary64
/// (flip every bit of a negative, only the sign bit of a positive), so the order of the
/// keys is the order of the values. Passes whose byte is the same in every key are
/// skipped: summary columns of one metric mostly share their high bytes.
///
/// The result equals `sort()`'s element by element (`==`). The one difference is among
/// zeros: −0 comes before +0 here, while `sort()` keeps their input order. The summary's
/// sd is the same either way, and a quantile landing among zeros is −0 or +0, both
/// written "0" (``NumberFormat/double(_:)``), so `summary.csv` keeps its bytes.
public enum RadixSort {
    /// Below this count the comparison sort is as fast.
    static let threshold = 256

    /// Sorts `values` ascending; every value must be finite or ±∞ (no NaN).
    public static func sort(_ values: inout [Double]) {
        let n = values.count
        guard n >= threshold else {
            values.sort()
            return
        }
        var keys = [UInt64](repeating: 0, count: n), other = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 8 * 256)
        values.withUnsafeBufferPointer { v in
            keys.withUnsafeMutableBufferPointer { k in
                counts.withUnsafeMutableBufferPointer { c in
                    for i in 0..<n {
                        let bits = v[i].bitPattern
                        let key = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
                        k[i] = key
                        for p in 0..<8 { c[p << 8 | Int((key >> (p << 3)) & 0xff)] += 1 }
                    }
                }
            }
        }
        var source = keys, target = other
        keys = []
        other = []
        counts.withUnsafeMutableBufferPointer { c in
            for p in 0..<8 {
                let base = p << 8
                // A byte every key shares orders nothing.
                if c[base + Int((source[0] >> (p << 3)) & 0xff)] == n { continue }
                var offset = 0
                for b in 0..<256 {
                    let size = c[base + b]
                    c[base + b] = offset
                    offset += size
                }
                source.withUnsafeBufferPointer { s in
                    target.withUnsafeMutableBufferPointer { t in
                        for i in 0..<n {
                            let key = s[i]
                            let b = base + Int((key >> (p << 3)) & 0xff)
                            t[c[b]] = key
                            c[b] += 1
                        }
                    }
                }
                swap(&source, &target)
            }
        }
        source.withUnsafeBufferPointer { s in
            values.withUnsafeMutableBufferPointer { v in
                for i in 0..<n {
                    let key = s[i]
                    v[i] = Double(bitPattern: key >> 63 == 1 ? key & ~(1 << 63) : ~key)
                }
            }
        }
    }
}
