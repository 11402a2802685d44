import Foundation

/// The analyses of `collapse analyze exchange-rate` on a results folder.
///
/// **Exchange rate.** Every cell's generation 0 is fitted to R₀, `samples` real points,
/// so every cell measures real-only training at r = `samples`: the real arm is every
/// cell's `real_metric` at generation 0, pooled by `samples`. The synthetic arm at a
/// real set size n is the cells with `samples` = n: generation 0's generated batch
/// (s = `policy.synthetic_size`, or `samples` when unset: the policy's output size)
/// is what `metric` (a `tstr_*` utility) trains on. One sweep over `samples` and
/// `policy.synthetic_size` (`policy.kind: mix`) gives both arms.
public enum FolderAnalysis {
    /// The real arm's metric for `metric`: `trtr_X` for `tstr_X`, else `metric` itself.
    public static func realMetric(for metric: String) -> String {
        metric.hasPrefix("tstr_") ? "trtr_" + metric.dropFirst(5) : metric
    }

    /// The exchange rate of the folder at `path`. `realSetSizes` (empty: every
    /// `samples` value) chooses the synthetic arm's n.
    public static func exchangeRate(path: String, metric: String, realMetric: String? = nil, realSetSizes: [Int] = [],
                                    options: ExchangeRate.Options = .init()) throws(AnalysisError) -> ExchangeRate.Result {
        let folder = try AnalysisFolder(path: path)
        let realMetric = realMetric ?? Self.realMetric(for: metric)
        let metricsPath = folder.folder.url.appendingPathComponent(MetricsFileForm.present(in: folder.folder.url)?.fileName ?? OutputFolder.metricsFile).path
        let realValues = try folder.values(realMetric, generation: 0)
        guard !realValues.isEmpty else {
            throw .metricMissing(metric: realMetric, role: "the real arm, at generation 0", path: metricsPath, present: folder.metricNames)
        }
        let synthValues = try folder.values(metric, generation: 0)
        guard !synthValues.isEmpty else {
            throw .metricMissing(metric: metric, role: "the synthetic arm, at generation 0", path: metricsPath, present: folder.metricNames)
        }
        var samples: [String: Int] = [:]
        for cell in folder.folder.cells { samples[cell] = try folder.integer(cell, "samples") }

        // Real arm: pooled by samples.
        var realByR: [Int: [[Double]]] = [:]
        for cell in folder.folder.cells.sorted() { if let v = realValues[cell] { realByR[samples[cell]!, default: []].append(v) } }
        let real = realByR.map { ExchangeRate.Group(size: $0.key, cells: $0.value) }

        // Synthetic arm: one cell per (n, s).
        let allN = Set(samples.values).sorted()
        let chosen = realSetSizes.isEmpty ? Set(synthValues.keys.map { samples[$0]! }).sorted() : realSetSizes
        var arms: [ExchangeRate.SyntheticArm] = []
        for n in chosen {
            let cells = folder.folder.cells.filter { samples[$0] == n }.sorted()
            guard !cells.isEmpty else { throw .syntheticArmMissing(realSetSize: n, samples: allN) }
            var bySize: [Int: [String]] = [:]
            for cell in cells {
                let s = folder.leaf(cell, "policy.synthetic_size") == nil ? n : try folder.integer(cell, "policy.synthetic_size")
                bySize[s, default: []].append(cell)
            }
            for (s, group) in bySize.sorted(by: { $0.key < $1.key }) where group.count > 1 {
                throw .duplicateCells(what: "the synthetic point samples = \(n), synthetic size \(s)", cells: group,
                                      keys: folder.differingKeys(group))
            }
            arms.append(ExchangeRate.SyntheticArm(realSetSize: n, groups: bySize.map { s, group in
                ExchangeRate.Group(size: s, cells: [synthValues[group[0]] ?? []])
            }))
        }
        return try ExchangeRate.analyze(real: real, synthetic: arms, options: options, metric: realMetric)
    }

    /// The parity curve of a `mix` sweep over `policy.real_fraction` at `generation`
    /// (nil: the metric's last generation). Returns the result and the generation used.
    public static func parity(path: String, metric: String, generation: Int? = nil, tolerance: Double,
                              lowerIsBetter: Bool = false) throws(AnalysisError) -> (result: Parity.Result, generation: Int) {
        let folder = try AnalysisFolder(path: path)
        let metricsPath = folder.folder.url.appendingPathComponent(MetricsFileForm.present(in: folder.folder.url)?.fileName ?? OutputFolder.metricsFile).path
        let available = folder.generations(of: metric)
        guard let last = available.last else {
            throw .metricMissing(metric: metric, role: "the parity curve", path: metricsPath, present: folder.metricNames)
        }
        let g = generation ?? last
        guard available.contains(g) else { throw .generationMissing(generation: g, metric: metric, available: available) }
        let values = try folder.values(metric, generation: g)
        var byShare: [Double: [String]] = [:]
        for cell in folder.folder.cells.sorted() {
            let text = folder.leaf(cell, "policy.real_fraction")
            guard let text, let f = Double(text) else {
                throw .badValue(cell: cell, path: "policy.real_fraction", value: text ?? "nothing",
                                allowed: "one number in [0, 1] per cell: --parity reads a policy.kind mix sweep over a constant policy.real_fraction")
            }
            byShare[f, default: []].append(cell)
        }
        for (f, group) in byShare.sorted(by: { $0.key < $1.key }) where group.count > 1 {
            throw .duplicateCells(what: "the share policy.real_fraction = \(NumberFormat.double(f))", cells: group,
                                  keys: folder.differingKeys(group))
        }
        let groups = byShare.map { Parity.Group(share: $0.key, cells: [values[$0.value[0]] ?? []]) }
        return (try Parity.analyze(groups, tolerance: tolerance, lowerIsBetter: lowerIsBetter), g)
    }
}
