/// The histogram of one snapshot against the real distribution: for continuous data
/// the first coordinate's density in 40 equal bins, the real density per bin being
/// (F(b) − F(a))/(b − a) from the real marginal CDF; for categories, the frequency of
/// each category (grouped into at most 100 equal ranges of category index) against
/// the real probabilities, on a log scale. Regression samples get no histogram.
enum SnapshotHistogram {
    static func chart(_ snap: Snapshot, config: ExperimentConfig, title: String) -> HistogramChart? {
        guard snap.count > 0 else { return nil }
        if let p = config.real.probabilities { return categorical(snap, probabilities: p, title: title) }
        guard let real = config.real.makeDistribution() else { return nil }
        let x = (0..<snap.count).map { snap.values[$0 * snap.width] }.filter(\.isFinite)
        guard let sampleLow = x.min(), let sampleHigh = x.max() else { return nil }
        var low = min(sampleLow, real.marginalQuantile(0.001, coordinate: 0))
        var high = max(sampleHigh, real.marginalQuantile(0.999, coordinate: 0))
        if low == high { low -= 0.5; high += 0.5 }
        let binCount = 40, width = (high - low) / Double(binCount)
        var counts = [Int](repeating: 0, count: binCount)
        for v in x { counts[min(binCount - 1, Int((v - low) / width))] += 1 }
        let bins = (0..<binCount).map { i -> HistogramChart.Bin in
            let a = low + Double(i) * width, b = a + width
            let mass = real.marginalCDF(b, coordinate: 0) - real.marginalCDF(a, coordinate: 0)
            return HistogramChart.Bin(low: a, high: b, value: Double(counts[i]) / Double(x.count) / width,
                                      reference: mass / width)
        }
        let axis = config.dimension == 1 ? "x" : "x₁ (first coordinate)"
        return HistogramChart(title: title, xLabel: axis, yLabel: "density", bins: bins)
    }

    static func categorical(_ snap: Snapshot, probabilities p: [Double], title: String) -> HistogramChart {
        let k = p.count, groups = min(k, 100)
        let perGroup = (k + groups - 1) / groups
        var counts = [Double](repeating: 0, count: groups)
        for i in 0..<snap.count {
            let c = Int(snap.values[i * snap.width])
            if c >= 0 && c < k { counts[c / perGroup] += 1 }
        }
        let bins = (0..<groups).map { g -> HistogramChart.Bin in
            let range = (g * perGroup)..<min(k, (g + 1) * perGroup)
            return HistogramChart.Bin(low: Double(range.lowerBound), high: Double(range.upperBound),
                                      value: counts[g] / Double(snap.count),
                                      reference: range.reduce(0) { $0 + p[$1] })
        }
        return HistogramChart(title: title, xLabel: perGroup == 1 ? "category" : "category (groups of \(perGroup))",
                              yLabel: "probability", bins: bins, logY: true)
    }
}
