/// `label_coverage`: the share of the real data's label classes that a generated table
/// still produces, as judged by a nearest-centroid classifier fitted on the real file
/// (for the digits: how many of the 10 digits a generator's images still look like).
///
/// The classifier: each class's centroid is the mean of the modelled (numeric) columns
/// over the file's rows with that `real.label` value (every row of the file, not the
/// chain's sample: the judge is fixed for the whole run). A generated row belongs to the
/// class of its nearest centroid (Euclidean distance; ties to the first class in label
/// order). The metric is #{classes assigned at least one generated row} / #classes, in
/// [1/K, 1] for a non-empty batch. Available for tables whose modelled columns are all
/// numeric and that name a `real.label` with at least two classes, not itself among the
/// modelled columns (`real.columns` lists the features).
public struct LabelCentroids: Sendable {
    /// The class labels, in order (a numeric label's values ascending, a categorical
    /// one's levels in the file's order).
    public let classes: [String]
    /// Row-major classes × columns.
    public let centroids: [Double]
    public let columns: Int

    /// The centroids of `table`'s modelled columns per value of its label; nil when the
    /// table has no label (or models it), a modelled column is categorical, or the label
    /// has one class.
    public init?(_ table: TableRealData) {
        guard let labelName = table.label, !table.columns.contains(labelName),
              let label = table.data.column(labelName) else { return nil }
        let modelled = table.columns.map { table.data.column($0)! }
        guard modelled.allSatisfy({ $0.type == .numeric }) else { return nil }
        var classOf: [Int] = []
        var names: [String] = []
        if label.type == .numeric {
            let values = Array(Set(label.numbers)).sorted()
            var index: [Double: Int] = [:]
            for (k, v) in values.enumerated() { index[v] = k }
            classOf = label.numbers.map { index[$0]! }
            names = values.map(NumberFormat.double)
        } else {
            classOf = label.codes.map(Int.init)
            names = label.levels
        }
        guard names.count >= 2 else { return nil }
        let d = modelled.count
        var sums = [Double](repeating: 0, count: names.count * d)
        var counts = [Double](repeating: 0, count: names.count)
        for i in classOf.indices {
            let k = classOf[i]
            counts[k] += 1
            for j in 0..<d { sums[k * d + j] += modelled[j].numbers[i] }
        }
        for k in names.indices where counts[k] > 0 { for j in 0..<d { sums[k * d + j] /= counts[k] } }
        classes = names
        centroids = sums
        columns = d
    }

    /// The nearest centroid's class of each row of `table` (its numeric columns).
    public func classify(_ table: MixedTable) -> [Int] {
        let d = columns, k = classes.count
        var out = [Int](repeating: 0, count: table.count)
        for i in 0..<table.count {
            var best = Double.infinity
            for c in 0..<k {
                var s = 0.0
                for j in 0..<d {
                    let delta = table.numeric[j][i] - centroids[c * d + j]
                    s += delta * delta
                }
                if s < best { best = s; out[i] = c }
            }
        }
        return out
    }

    /// `label_coverage` of a generated table (NaN when it is empty).
    public func coverage(_ table: MixedTable) -> Double {
        guard table.count > 0 else { return .nan }
        return Double(Set(classify(table)).count) / Double(classes.count)
    }
}
