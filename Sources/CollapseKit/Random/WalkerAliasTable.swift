import CGSL

/// A table for drawing category indices i.i.d. from fixed weights in O(1) per draw:
/// Walker's alias method (A. J. Walker, "An efficient method for generating discrete
/// random variables with general distributions", ACM TOMS 3, 1977), as implemented by
/// GSL's `gsl_ran_discrete_preproc` (O(K) set-up) and `gsl_ran_discrete`.
///
/// The table is built over the categories of positive weight only and maps each draw
/// back to its category, so a category of weight 0 is never drawn (exactly — GSL's
/// own table can, through floating-point rounding, return a zero-weight slot).
///
/// `@unchecked Sendable`: the GSL table is written once in `init` and only read
/// afterwards (`gsl_ran_discrete` takes it as `const`), so one table can serve many
/// threads at once, each drawing from its own ``RandomStream``.
public final class WalkerAliasTable: @unchecked Sendable {
    private let table: UnsafeMutablePointer<gsl_ran_discrete_t>
    /// The categories of positive weight, in increasing order.
    public let support: [Int32]

    /// A table for `weights` (non-negative, finite, not all zero; they need not sum
    /// to 1). Nil when the weights are not usable.
    public init?(weights: [Double]) {
        guard weights.count <= Int(Int32.max) + 1,
              weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        var support: [Int32] = [], positive: [Double] = []
        for (k, w) in weights.enumerated() where w > 0 {
            support.append(Int32(k))
            positive.append(w)
        }
        guard !positive.isEmpty,
              let table = positive.withUnsafeBufferPointer({ gsl_ran_discrete_preproc($0.count, $0.baseAddress) })
        else { return nil }
        self.table = table
        self.support = support
    }

    deinit { gsl_ran_discrete_free(table) }

    /// `count` i.i.d. category indices.
    /// - Complexity: O(count).
    public func draw(_ count: Int, stream: RandomStream) -> [Int32] {
        if support.count == 1 {
            // One category: every draw is it (no uniform is consumed).
            return [Int32](repeating: support[0], count: count)
        }
        return [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            support.withUnsafeBufferPointer { s in
                for i in 0..<count { out[i] = s[gsl_ran_discrete(stream.rng, table)] }
            }
            initialized = count
        }
    }

    /// Adds `count` i.i.d. draws to `counts` (indexed by category) without storing them:
    /// the same draws as ``draw(_:stream:)``.
    /// - Complexity: O(count).
    public func count(_ count: Int, into counts: inout [Int], stream: RandomStream) {
        if support.count == 1 { counts[Int(support[0])] += count; return }
        support.withUnsafeBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { c in
                for _ in 0..<count { c[Int(s[gsl_ran_discrete(stream.rng, table)])] += 1 }
            }
        }
    }

    /// Draws and discards `count` draws, advancing the stream as ``draw(_:stream:)`` would.
    public func skip(_ count: Int, stream: RandomStream) {
        if support.count == 1 { return }
        for _ in 0..<count { _ = gsl_ran_discrete(stream.rng, table) }
    }
}
