/// A sample a family trains on and generates: points, categories or (x, y) pairs.
/// The chain loop assembles training sets on points through these operations only
/// (policies see them through a ``TrainingAssembler``), so every policy works for every
/// family.
public protocol TrainingData: Sendable {
    /// Number of observations.
    var count: Int { get }
    /// The first `n` observations.
    func prefix(_ n: Int) -> Self
    /// The observations at `rows`, in that order.
    func rows(_ rows: [Int]) -> Self
    /// Appends `other`'s observations, in place (amortised O(other.count) when the
    /// storage is not shared, so `accumulate` costs O(n) a generation).
    mutating func append(_ other: Self)
    /// The parts one after another (`parts` is not empty).
    static func concatenate(_ parts: [Self]) -> Self
    /// Values per observation in `samples.csv` (d for points, 1 for a category,
    /// d + 1 for a regression pair: x then y).
    var snapshotWidth: Int { get }
    /// The observations as a flat row-major `count × snapshotWidth` buffer.
    var snapshotValues: [Double] { get }
}
