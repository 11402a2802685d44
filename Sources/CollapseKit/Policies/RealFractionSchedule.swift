/// The share of real data in generation t's training set under the `mix` policy:
/// a constant, one value per generation t = 1…G, or a linear ramp from `from` at
/// t = 1 to `to` at t = G.
public enum RealFractionSchedule: Equatable, Sendable {
    case constant(Double)
    case perGeneration([Double])
    case ramp(from: Double, to: Double)

    /// The fraction for generation t ≥ 1 of an experiment with G generations.
    public func fraction(generation t: Int, generations G: Int) -> Double {
        switch self {
        case .constant(let f): return f
        case .perGeneration(let list): return list[min(max(t - 1, 0), list.count - 1)]
        case .ramp(let from, let to):
            guard G > 1 else { return from }
            return from + (to - from) * Double(t - 1) / Double(G - 1)
        }
    }

    var jsonValue: JSONValue {
        switch self {
        case .constant(let f): return .double(f)
        case .perGeneration(let list): return .list(list.map(JSONValue.double))
        case .ramp(let from, let to): return .map(["from": .double(from), "to": .double(to)])
        }
    }
}
