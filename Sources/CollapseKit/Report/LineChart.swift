/// A line chart with optional 95% bands and dashed reference curves, drawn as SVG:
/// axes with ticks and labels, a legend, the colour-blind-safe palette. Each drawn
/// series is a `<polyline class="series">` (dashed theory: `class="theory"`), with
/// one vertex per finite point, so tests can count series and points.
public struct LineChart {
    public struct Series {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// Lower and upper band edges (same length as `x`), or empty.
        public var bandLow: [Double]
        public var bandHigh: [Double]
        public var dashed: Bool
        public var markers: Bool
        public var colorIndex: Int
        /// Whether the series has its own legend entry. Dashed series without one share a
        /// single grey "dashed: theory" entry (each drawn in its cell's colour).
        public var inLegend: Bool

        public init(name: String, x: [Double], y: [Double], bandLow: [Double] = [], bandHigh: [Double] = [],
                    dashed: Bool = false, markers: Bool = false, colorIndex: Int, inLegend: Bool = true) {
            self.name = name
            self.x = x
            self.y = y
            self.bandLow = bandLow
            self.bandHigh = bandHigh
            self.dashed = dashed
            self.markers = markers
            self.colorIndex = colorIndex
            self.inLegend = inLegend
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// nil: log scale when every value is positive and they span at least two decades.
    public var logY: Bool?

    public init(title: String, xLabel: String, yLabel: String, series: [Series], logY: Bool? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.logY = logY
    }

    /// Whether the y axis will be logarithmic.
    public var usesLogScale: Bool {
        if let logY { return logY }
        let values = series.flatMap(\.y).filter(\.isFinite)
        guard let lo = values.min(), let hi = values.max(), lo > 0 else { return false }
        return hi / lo >= 100
    }

    public var svg: String {
        var legend = series.filter(\.inLegend).map { (name: $0.name, color: SVGDocument.color($0.colorIndex), dash: dash($0)) }
        if series.contains(where: { $0.dashed && !$0.inLegend }) {
            legend.append((name: "dashed: theory", color: "#555555", dash: Self.theoryDash))
        }
        let plotLeft = 78.0, plotTop = 44.0, plotRight = 540.0
        let longest = Double(legend.map(\.name.count).max() ?? 0)
        let width = max(760.0, plotRight + 52 + 7 * longest + 12)
        let plotBottom = 330.0
        let height = max(390.0, plotTop + Double(legend.count) * 20 + 20)
        let log = usesLogScale
        let finite = { (v: Double) in v.isFinite && (!log || v > 0) }
        let allX = series.flatMap(\.x).filter(\.isFinite)
        var allY = series.flatMap(\.y).filter(finite)
        allY += series.flatMap { $0.bandLow + $0.bandHigh }.filter(finite)
        if log, let minY = series.flatMap(\.y).filter(finite).min() {
            allY = allY.filter { $0 >= minY / 100 }     // a band reaching towards 0 must not squash the axis
        }
        let xs = ChartScale(covering: allX, log: false, pixels: (plotLeft, plotRight))
        let ys = ChartScale(covering: allY, log: log, pixels: (plotBottom, plotTop))
        var doc = SVGDocument(width: width, height: height)

        doc.text(title, x: plotLeft, y: 24, size: 16, weight: "bold")
        // Grid and ticks.
        for t in ys.ticks where t >= ys.low && t <= ys.high {
            let y = ys.map(t)
            doc.line(plotLeft, y, plotRight, y, stroke: "#e3e3e3")
            doc.text(ChartScale.label(t), x: plotLeft - 6, y: y + 4, size: 12, anchor: .end)
        }
        for t in xs.ticks where t >= xs.low && t <= xs.high {
            let x = xs.map(t)
            doc.line(x, plotBottom, x, plotBottom + 5)
            doc.text(ChartScale.label(t), x: x, y: plotBottom + 19, size: 12, anchor: .middle)
        }
        doc.line(plotLeft, plotBottom, plotRight, plotBottom)
        doc.line(plotLeft, plotTop, plotLeft, plotBottom)
        doc.text(xLabel, x: (plotLeft + plotRight) / 2, y: plotBottom + 40, size: 13, anchor: .middle)
        doc.text(yLabel + (log ? " (log scale)" : ""), x: 18, y: (plotTop + plotBottom) / 2, size: 13,
                 anchor: .middle, rotate: -90)

        // Bands first, then lines, so lines stay visible. On a log axis a band edge at or
        // below 0 is clipped to the axis floor, so no generation drops out of the band.
        for s in series where !s.bandLow.isEmpty {
            var upper: [(Double, Double)] = [], lower: [(Double, Double)] = []
            for i in s.x.indices where s.x[i].isFinite && s.bandLow[i].isFinite && finite(s.bandHigh[i]) {
                upper.append((xs.map(s.x[i]), ys.map(min(s.bandHigh[i], ys.high))))
                lower.append((xs.map(s.x[i]), ys.map(max(s.bandLow[i], ys.low))))
            }
            if upper.count > 1 {
                doc.polygon(upper + lower.reversed(), fill: SVGDocument.color(s.colorIndex), opacity: 0.18, cssClass: "band")
            }
        }
        for s in series {
            let pts = s.x.indices.filter { s.x[$0].isFinite && finite(s.y[$0]) }.map { (xs.map(s.x[$0]), ys.map(s.y[$0])) }
            let color = SVGDocument.color(s.colorIndex)
            doc.polyline(pts, stroke: color, width: s.dashed ? 2 : 2.2, dash: dash(s),
                         cssClass: s.dashed ? "theory" : "series", series: s.name)
            if s.markers { for p in pts { doc.circle(p.0, p.1, r: 3.5, fill: color, cssClass: "marker") } }
            // A one-point series (e.g. a closed form for generation 0 only) has no line to draw.
            else if pts.count == 1 { doc.circle(pts[0].0, pts[0].1, r: 4.5, fill: color, cssClass: "point") }
        }

        // Legend.
        var y = plotTop + 6
        for entry in legend {
            doc.line(plotRight + 18, y, plotRight + 46, y, stroke: entry.color, width: 2.5, dash: entry.dash)
            doc.text(entry.name, x: plotRight + 52, y: y + 4, size: 12)
            y += 20
        }
        return doc.xml
    }

    /// The dash of theory curves.
    static let theoryDash = "7 5"

    /// A series' dash: theory's, or its colour index's past the palette (else solid).
    func dash(_ s: Series) -> String? { s.dashed ? Self.theoryDash : SVGDocument.seriesDash(s.colorIndex) }
}
