/// How a policy step sees a batch of the family's data: points in ℝ^d (the continuous
/// families and `external` `data: vector`), categories (`categorical`), or rows of a
/// mixed table (`copula`, `external` `data: table`). Steps judge rows through this view,
/// so one step serves every family whose data it understands.
public enum StepPoints {
    case vectors(Dataset)
    case categories(CategorySample)
    case table(MixedTable)

    /// The view of `data`, or nil for data no step judges (regression pairs, documents).
    public init?<D: TrainingData>(_ data: D) {
        if let d = data as? Dataset { self = .vectors(d) }
        else if let c = data as? CategorySample { self = .categories(c) }
        else if let t = data as? MixedTable { self = .table(t) }
        else { return nil }
    }

    /// Rows in the batch.
    public var count: Int {
        switch self {
        case .vectors(let d): d.count
        case .categories(let c): c.count
        case .table(let t): t.count
        }
    }
}

/// What a step may know about the run's real data, fixed when the config is read (a
/// step judges against the real distribution, never the drifting model).
public struct StepBinding {
    /// `real:` resolved.
    public let real: RealDataConfig
    /// `model.family`.
    public let family: String

    public init(real: RealDataConfig, family: String) {
        self.real = real
        self.family = family
    }

    /// The table a `real.distribution: table` run samples rows from.
    public var table: TableRealData? { real.spec as? TableRealData }

    /// Column names of the data the model trains on: the table's columns, or x1…xd
    /// for a parametric distribution of points.
    public var columnNames: [String] {
        table?.columns ?? (1...real.dimension).map { "x\($0)" }
    }
}

/// A yes/no question about every row of a batch (inside the rules, a target of
/// upsampling), bound to the real data when the config is read.
public struct RowTest: Sendable {
    private let body: @Sendable (StepPoints) -> [Bool]

    public init(_ body: @escaping @Sendable (StepPoints) -> [Bool]) { self.body = body }

    /// One answer per row.
    public func callAsFunction(_ points: StepPoints) -> [Bool] { body(points) }

    /// The share of `points`' rows for which the answer is no (NaN for no rows).
    public func failureShare(_ points: StepPoints) -> Double {
        let answers = body(points)
        guard !answers.isEmpty else { return .nan }
        return Double(answers.lazy.filter { !$0 }.count) / Double(answers.count)
    }
}

extension StepPoints {
    /// `f` of every point of a batch of points in ℝ^d (its `d` coordinates).
    static func perPoint<T>(_ d: Int, _ f: @escaping @Sendable (UnsafeBufferPointer<Double>) -> T) -> @Sendable (StepPoints) -> [T] {
        { points in
            guard case .vectors(let data) = points else { preconditionFailure("a verifier or target of points on other data") }
            return data.values.withUnsafeBufferPointer { p in
                (0..<data.count).map { i in f(UnsafeBufferPointer(rebasing: p[(i * d)..<((i + 1) * d)])) }
            }
        }
    }
}
