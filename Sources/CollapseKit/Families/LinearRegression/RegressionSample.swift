/// A regression sample: inputs x (n×d, row-major) and labels y (n).
public struct RegressionSample: TrainingData, Equatable {
    public var x: Dataset
    public var y: [Double]

    public init(x: Dataset, y: [Double]) {
        precondition(x.count == y.count)
        self.x = x
        self.y = y
    }

    public var count: Int { y.count }

    public func prefix(_ n: Int) -> RegressionSample { RegressionSample(x: x.prefix(n), y: Array(y[0..<n])) }

    public func rows(_ rows: [Int]) -> RegressionSample { RegressionSample(x: x.rows(rows), y: rows.map { y[$0] }) }

    public mutating func append(_ other: RegressionSample) {
        x.append(other.x)
        y.append(contentsOf: other.y)
    }

    public static func concatenate(_ parts: [RegressionSample]) -> RegressionSample {
        RegressionSample(x: Dataset.concatenate(parts.map(\.x)), y: parts.flatMap(\.y))
    }

    public var snapshotWidth: Int { x.dimension + 1 }
    public var snapshotValues: [Double] {
        let d = x.dimension
        var out = [Double](); out.reserveCapacity(count * (d + 1))
        for r in 0..<count {
            out.append(contentsOf: x.values[(r * d)..<((r + 1) * d)])
            out.append(y[r])
        }
        return out
    }
}
