/// Survival curves of chain events: for each kind of event present, the share of a
/// line's chains (a cell's, or an experiment × cell's) that have not had it by
/// generation t — 1 at the start, a step down at each chain's first such event; chains
/// without it stay in to the last generation (right-censored, so this is Kaplan–Meier
/// with no censoring before the end). `threshold_crossed` (``CollapseThreshold``) comes
/// first: the share of chains not yet collapsed.
enum SurvivalCharts {
    struct Line {
        var label: String
        var events: [ChainEvent]
        var chains: Int
        var generations: Int
        var threshold: CollapseThreshold?
    }

    /// Each event kind's chart.
    static func charts(_ lines: [Line]) -> [ChartFile] {
        let kinds = Set(lines.flatMap { $0.events.map(\.kind) })
        let ordered = [ChainEvent.Kind.thresholdCrossed].filter(kinds.contains)
            + ChainEvent.Kind.allCases.filter { $0 != .thresholdCrossed && kinds.contains($0) }
        return ordered.map { kind in
            let series = lines.enumerated().map { i, line in
                LineChart.Series(name: line.label, x: (0...line.generations).map(Double.init),
                                 y: survival(line, kind: kind), colorIndex: i)
            }
            let thresholds = Set(lines.compactMap { $0.threshold?.description })
            let what = kind == .thresholdCrossed
                ? "chains whose \(thresholds.count == 1 ? thresholds.first! : "output.collapse threshold") has not been reached"
                : "chains without \(kind.rawValue)"
            let chart = LineChart(title: "survival: \(kind.rawValue)", xLabel: "generation", yLabel: "share of chains",
                                  series: series, logY: false)
            return ChartFile("survival-\(kind.rawValue).svg",
                             "Share of \(what) by generation (1 at the start; a step down at each chain's first \(kind.rawValue); events.csv).",
                             chart)
        }
    }

    /// S(t) for t = 0 … G: 1 − (chains whose first `kind` event is at or before t)/chains.
    static func survival(_ line: Line, kind: ChainEvent.Kind) -> [Double] {
        var first: [Int: Int] = [:]
        for e in line.events where e.kind == kind { first[e.replicate] = min(first[e.replicate] ?? e.generation, e.generation) }
        let n = Double(line.chains)
        return (0...line.generations).map { t in 1 - Double(first.values.count { $0 <= t }) / n }
    }
}
