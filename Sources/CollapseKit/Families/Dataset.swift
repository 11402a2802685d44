/// A flat sample of `count` points in `dimension` coordinates, row-major.
public struct Dataset: TrainingData, Equatable {
    public var values: [Double]
    public let dimension: Int

    public init(values: [Double], dimension: Int) {
        precondition(dimension >= 1 && values.count % dimension == 0)
        self.values = values
        self.dimension = dimension
    }

    public var count: Int { values.count / dimension }

    /// The first `n` points.
    public func prefix(_ n: Int) -> Dataset {
        Dataset(values: Array(values[0..<(n * dimension)]), dimension: dimension)
    }

    /// The points at `rows`, in that order.
    public func rows(_ rows: [Int]) -> Dataset {
        var out = [Double](); out.reserveCapacity(rows.count * dimension)
        for r in rows { out.append(contentsOf: values[(r * dimension)..<((r + 1) * dimension)]) }
        return Dataset(values: out, dimension: dimension)
    }

    /// Appends `other`'s points in place.
    public mutating func append(_ other: Dataset) { values.append(contentsOf: other.values) }

    /// The parts one after another.
    public static func concatenate(_ parts: [Dataset]) -> Dataset {
        var out = [Double](); out.reserveCapacity(parts.reduce(0) { $0 + $1.values.count })
        for p in parts { out.append(contentsOf: p.values) }
        return Dataset(values: out, dimension: parts[0].dimension)
    }

    public var snapshotWidth: Int { dimension }
    public var snapshotValues: [Double] { values }
}
