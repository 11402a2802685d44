import Foundation

/// The charts of `collapse analyze exchange-rate` in `collapse report`, drawn when the
/// folder holds `exchange_rate.csv` or `parity.csv` (``AnalysisTables``):
///
/// - `exchange-rate.svg`: the real arm's mean utility against r (95 % band, ±1.96 SE),
///   its isotonic fit dashed, and each synthetic size's utility placed at its
///   equivalent real size r*, one line per real set size n;
/// - `exchange-rate-rate.svg`: the rate s/r* against s with its bootstrap interval;
/// - `parity.svg`: mean utility against the real share (±1.96 SE), with 100 % real's
///   mean and the tolerance band around it.
enum AnalysisCharts {
    static func charts(folder: URL) -> [ChartFile] {
        exchangeRate(folder: folder) + parity(folder: folder)
    }

    static func value(_ row: [String: String], _ key: String) -> Double {
        row[key].flatMap { Double($0) } ?? .nan
    }

    static func exchangeRate(folder: URL) -> [ChartFile] {
        guard let rows = AnalysisTables.read(folder.appendingPathComponent(AnalysisTables.exchangeRateFile),
                                             columns: AnalysisTables.exchangeRateColumns) else { return [] }
        let real = rows.filter { $0["arm"] == "real" }.sorted { value($0, "size") < value($1, "size") }
        let synthetic = rows.filter { $0["arm"] == "synthetic" }
        guard !real.isEmpty else { return [] }
        let realMetric = real[0]["metric"] ?? "", metric = synthetic.first?["metric"] ?? ""
        let r = real.map { value($0, "size") }, mean = real.map { value($0, "utility") }, se = real.map { value($0, "utility_se") }
        var series = [
            LineChart.Series(name: "real: \(realMetric)", x: r, y: mean, bandLow: zip(mean, se).map { $0 - 1.96 * $1 },
                             bandHigh: zip(mean, se).map { $0 + 1.96 * $1 }, markers: true, colorIndex: 0),
            LineChart.Series(name: "isotonic fit", x: r, y: real.map { value($0, "fitted_utility") }, dashed: true, colorIndex: 0),
        ]
        var rates: [LineChart.Series] = []
        let sizes = Set(synthetic.map { value($0, "real_set_size") }).sorted()
        for (i, n) in sizes.enumerated() {
            let arm = synthetic.filter { value($0, "real_set_size") == n }
            let mapped = arm.filter { value($0, "equivalent_real_size").isFinite }.sorted { value($0, "equivalent_real_size") < value($1, "equivalent_real_size") }
            let name = "synthetic: \(metric), n = \(NumberFormat.double(n))"
            series.append(LineChart.Series(name: name + " at r*", x: mapped.map { value($0, "equivalent_real_size") },
                                           y: mapped.map { value($0, "utility") }, markers: true, colorIndex: i + 1))
            let withRate = arm.filter { value($0, "rate").isFinite }.sorted { value($0, "size") < value($1, "size") }
            rates.append(LineChart.Series(name: "n = \(NumberFormat.double(n))", x: withRate.map { value($0, "size") },
                                          y: withRate.map { value($0, "rate") },
                                          bandLow: withRate.map { value($0, "rate_low") }, bandHigh: withRate.map { value($0, "rate_high") },
                                          markers: true, colorIndex: i + 1))
        }
        var out = [ChartFile("exchange-rate.svg",
                             "Exchange rate: the real arm's \(realMetric) against the real size r (95% band, isotonic fit dashed), and each synthetic size's \(metric) placed at the real size of equal utility r*.",
                             LineChart(title: "Utility against real size", xLabel: "real training size r", yLabel: "utility",
                                       series: series, logY: false))]
        if rates.contains(where: { !$0.x.isEmpty }) {
            out.append(ChartFile("exchange-rate-rate.svg",
                                 "Synthetic points per real point of equal utility (s/r*) against the synthetic size s, with the bootstrap 95% interval; sizes outside the real curve are left out (see the note column).",
                                 LineChart(title: "Exchange rate s/r*", xLabel: "synthetic training size s", yLabel: "s / r*",
                                           series: rates)))
        }
        return out
    }

    static func parity(folder: URL) -> [ChartFile] {
        guard let rows = AnalysisTables.read(folder.appendingPathComponent(AnalysisTables.parityFile),
                                             columns: AnalysisTables.parityColumns), !rows.isEmpty else { return [] }
        let sorted = rows.sorted { value($0, "real_fraction") < value($1, "real_fraction") }
        let f = sorted.map { value($0, "real_fraction") }, mean = sorted.map { value($0, "mean") }, se = sorted.map { value($0, "se") }
        let metric = sorted[0]["metric"] ?? "", tol = value(sorted[0], "tolerance"), g = sorted[0]["generation"] ?? ""
        let ref = sorted.first { value($0, "real_fraction") == 1 }.map { value($0, "mean") } ?? .nan
        let parity = sorted.first { $0["parity"] == "true" }.map { NumberFormat.double(value($0, "real_fraction")) } ?? "none"
        let ends = [f.first!, f.last!]
        let series = [
            LineChart.Series(name: metric, x: f, y: mean, bandLow: zip(mean, se).map { $0 - 1.96 * $1 },
                             bandHigh: zip(mean, se).map { $0 + 1.96 * $1 }, markers: true, colorIndex: 0),
            LineChart.Series(name: "100% real ± \(NumberFormat.double(tol))", x: ends, y: [ref, ref],
                             bandLow: [ref - tol, ref - tol], bandHigh: [ref + tol, ref + tol], dashed: true, colorIndex: 1),
        ]
        return [ChartFile("parity.svg",
                          "\(metric) at generation \(g) against the real share (95% band), with 100% real's mean and the tolerance band; the smallest share within tolerance is \(parity).",
                          LineChart(title: "Parity with 100% real data", xLabel: "policy.real_fraction", yLabel: metric,
                                    series: series, logY: false))]
    }
}
