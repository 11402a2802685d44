/// Small multiples: one panel per value of a swept key, sharing both axes, with one
/// legend for the lines inside the panels (the other keys' values, the same colour in
/// every panel). For charts of more than six lines, which no legend keeps readable
/// (Tufte, "The Visual Display of Quantitative Information", 1983, on small multiples).
struct SmallMultiples {
    struct Panel {
        var title: String
        var series: [LineChart.Series]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var panels: [Panel]

    /// The chart of every panel's series together: it decides the shared scales.
    var combined: LineChart { LineChart(title: title, xLabel: xLabel, yLabel: yLabel, series: panels.flatMap(\.series)) }

    func svg(layout: LineChart.Layout) -> String {
        let all = combined
        let log = all.usesLogScale
        var seen: Set<String> = []
        let legend = all.legend.filter { seen.insert($0.name).inserted }
        let columns = layout == .wide ? min(3, panels.count) : 1
        let panelWidth = layout == .wide ? 300.0 : 360.0, panelHeight = 230.0
        let rows = (panels.count + columns - 1) / columns
        let top = 64.0
        let legendTop = top + Double(rows) * panelHeight + 36
        let width = max(Double(columns) * panelWidth, layout == .wide ? 760 : 360)
        let height = legendTop + Double(legend.count) * 19 + 10
        var doc = SVGDocument(width: width, height: height)
        doc.text(title, x: 8, y: 22, size: layout == .wide ? 16 : 15, weight: "bold")
        doc.text(layout == .wide ? "\(yLabel)\(log ? " (log scale)" : "") against \(xLabel), one panel per value; shared axes"
                     : "one panel per value; shared axes\(log ? "; log scale" : "")",
                 x: 8, y: 42, size: 12, fill: "#555")
        // Shared scales: every panel maps values with the same ranges.
        let sample = LineChart.Frame(left: 0, top: 0, right: 1, bottom: 1)
        let shared = all.scales(frame: sample, log: log)
        for (k, panel) in panels.enumerated() {
            let column = Double(k % columns), row = Double(k / columns)
            let frame = LineChart.Frame(left: column * panelWidth + 56, top: top + row * panelHeight + 22,
                                        right: column * panelWidth + panelWidth - 20, bottom: top + row * panelHeight + panelHeight - 34)
            let xs = ChartScale(covering: [shared.0.low, shared.0.high], log: false, pixels: (frame.left, frame.right))
            let ys = ChartScale(covering: [shared.1.low, shared.1.high], log: log, pixels: (frame.bottom, frame.top))
            doc.text(panel.title, x: frame.left, y: frame.top - 8, size: 13, weight: "bold")
            let chart = LineChart(title: "", xLabel: xLabel, yLabel: yLabel, series: panel.series, logY: log)
            chart.drawPlot(into: &doc, frame: frame, xs: xs, ys: ys, log: log, fonts: .narrow, axisLabels: false)
        }
        LineChart.drawLegend(legend, into: &doc, x: 8, y: legendTop, fontSize: 12, lineHeight: 19)
        return doc.xml
    }
}
