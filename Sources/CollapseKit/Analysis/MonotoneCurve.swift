/// A monotone curve through points (xᵢ, yᵢ): the isotonic fit of the yᵢ
/// (``IsotonicRegression``, weighted), joined by straight lines in x, and its
/// generalised inverse.
///
/// `collapse analyze exchange-rate` uses it for the real arm's utility against the real
/// size r: monotone in r by construction, so a utility level u maps to one r. The
/// inverse is r(u) = inf{r : f(r) ≥ u}, f the piecewise-linear fit; on a flat stretch
/// (pooled points) that is its left end, the fewest real points that reach u. This is
/// the "isotonic regression, then linear interpolation" calibration map of Zadrozny and
/// Elkan (2002), "Transforming classifier scores into accurate multiclass probability
/// estimates", KDD, §3, read backwards.
public struct MonotoneCurve: Sendable, Equatable {
    /// The xᵢ, strictly increasing.
    public let x: [Double]
    /// The isotonic fit at each xᵢ, non-decreasing.
    public let fitted: [Double]

    /// Where a level falls against the curve.
    public enum Inverse: Equatable, Sendable {
        /// The smallest x with f(x) ≥ u.
        case value(Double)
        /// u < f(x₁): below every point of the curve.
        case belowMinimum
        /// u > f(xₖ): above every point of the curve.
        case aboveMaximum
    }

    /// Fits the curve; `x` strictly increasing (at least one point), `weights` > 0
    /// (equal when empty).
    public init(x: [Double], y: [Double], weights: [Double] = []) {
        precondition(!x.isEmpty && x.count == y.count, "one y per x, at least one point")
        precondition(zip(x, x.dropFirst()).allSatisfy { $0 < $1 }, "x must be strictly increasing")
        self.x = x
        fitted = IsotonicRegression.fit(y, weights: weights)
    }

    /// f(t): the fit, linear between the xᵢ, constant beyond the ends.
    public func value(at t: Double) -> Double {
        if t <= x[0] { return fitted[0] }
        guard let i = x.firstIndex(where: { $0 >= t }) else { return fitted[fitted.count - 1] }
        let w = (t - x[i - 1]) / (x[i] - x[i - 1])
        return fitted[i - 1] + w * (fitted[i] - fitted[i - 1])
    }

    /// inf{x : f(x) ≥ u}, or where u falls outside [f(x₁), f(xₖ)].
    public func inverse(_ u: Double) -> Inverse {
        guard u >= fitted[0] else { return .belowMinimum }
        guard u <= fitted[fitted.count - 1] else { return .aboveMaximum }
        let i = fitted.firstIndex { $0 >= u }!
        if i == 0 { return .value(x[0]) }
        let w = (u - fitted[i - 1]) / (fitted[i] - fitted[i - 1])
        return .value(x[i - 1] + w * (x[i] - x[i - 1]))
    }
}
