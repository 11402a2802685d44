/// A sample of category indices 0..<K, one `Int32` per observation.
public struct CategorySample: TrainingData, Equatable {
    public var categories: [Int32]

    public init(categories: [Int32]) { self.categories = categories }

    public var count: Int { categories.count }

    public func prefix(_ n: Int) -> CategorySample { CategorySample(categories: Array(categories[0..<n])) }

    public func rows(_ rows: [Int]) -> CategorySample { CategorySample(categories: rows.map { categories[$0] }) }

    public mutating func append(_ other: CategorySample) { categories.append(contentsOf: other.categories) }

    public static func concatenate(_ parts: [CategorySample]) -> CategorySample {
        var out = [Int32](); out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for p in parts { out.append(contentsOf: p.categories) }
        return CategorySample(categories: out)
    }

    /// How many observations fall in each of `categories` categories.
    public func counts(categories k: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: k)
        categories.withUnsafeBufferPointer { p in for c in p { counts[Int(c)] += 1 } }
        return counts
    }

    public var snapshotWidth: Int { 1 }
    public var snapshotValues: [Double] { categories.map(Double.init) }
}
