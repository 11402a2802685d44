/// A histogram of a generated sample (bars, `<rect class="bar">`) against the real
/// distribution (a step line, `<polyline class="reference">`), as SVG.
public struct HistogramChart {
    public struct Bin {
        public var low: Double
        public var high: Double
        /// Bar height (density or probability).
        public var value: Double
        /// The real distribution's value for the same bin.
        public var reference: Double
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var bins: [Bin]
    public var logY: Bool

    public init(title: String, xLabel: String, yLabel: String, bins: [Bin], logY: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.bins = bins
        self.logY = logY
    }

    public var svg: String { svg(layout: .wide) }

    /// `wide`: 560 px; `narrow`: 360 px for phones (text stays 12 px or more on a 390 px
    /// viewport, as ``LineChart/Layout``).
    public func svg(layout: LineChart.Layout) -> String {
        let narrow = layout == .narrow
        let width = narrow ? 360.0 : 560.0, height = 340.0, left = narrow ? 58.0 : 70.0
        let right = narrow ? 348.0 : 540.0, top = 40.0, bottom = 280.0
        let xs = ChartScale(covering: bins.flatMap { [$0.low, $0.high] }, log: false, pixels: (left, right))
        let ys = ChartScale(covering: bins.flatMap { [$0.value, $0.reference] } + (logY ? [] : [0]),
                            log: logY, pixels: (bottom, top))
        var doc = SVGDocument(width: width, height: height)
        doc.text(title, x: narrow ? 8 : left, y: 22, size: 15, weight: "bold")
        for t in ys.ticks where t >= ys.low && t <= ys.high {
            let y = ys.map(t)
            doc.line(left, y, right, y, stroke: "#e3e3e3")
            doc.text(ChartScale.label(t), x: left - 6, y: y + 4, size: 12, anchor: .end)
        }
        for t in xs.ticks where t >= xs.low && t <= xs.high {
            doc.line(xs.map(t), bottom, xs.map(t), bottom + 5)
            doc.text(ChartScale.label(t), x: xs.map(t), y: bottom + 19, size: 12, anchor: .middle)
        }
        for b in bins where b.value > 0 && b.value.isFinite {
            let x0 = xs.map(b.low), x1 = xs.map(b.high), y = ys.map(b.value)
            doc.rect(x0, y, x1 - x0, bottom - y, fill: SVGDocument.color(0), opacity: 0.55, cssClass: "bar")
        }
        var step: [(Double, Double)] = []
        for b in bins where b.reference.isFinite && (!logY || b.reference > 0) {
            let y = ys.map(b.reference)
            step.append((xs.map(b.low), y))
            step.append((xs.map(b.high), y))
        }
        doc.polyline(step, stroke: SVGDocument.color(1), width: 2, cssClass: "reference", series: "real")
        doc.line(left, bottom, right, bottom)
        doc.line(left, top, left, bottom)
        doc.text(xLabel, x: (left + right) / 2, y: bottom + 40, size: 13, anchor: .middle)
        doc.text(yLabel + (logY ? " (log scale)" : ""), x: 16, y: (top + bottom) / 2, size: 13, anchor: .middle, rotate: -90)
        doc.rect(right - 150, top + 4, 14, 10, fill: SVGDocument.color(0), opacity: 0.55)
        doc.text("generated", x: right - 130, y: top + 13, size: 12)
        doc.line(right - 150, top + 26, right - 136, top + 26, stroke: SVGDocument.color(1), width: 2)
        doc.text("real", x: right - 130, y: top + 30, size: 12)
        return doc.xml
    }
}
