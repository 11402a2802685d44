/// A line chart with optional 95% bands and dashed reference curves, drawn as SVG:
/// axes with ticks and labels, a legend, twelve distinct colours (then dashes). Each
/// drawn series is a `<polyline class="series">` (dashed theory: `class="theory"`),
/// with one vertex per finite point, so tests can count series and points.
///
/// Two layouts: `wide` (760 px or more, the legend right of the plot) for screens, and
/// `narrow` (360 px, the legend below) for phones, where a 390 px viewport shows it at
/// about its own size, so no text is drawn smaller than 12 px (``minimumFontSize``).
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

    public enum Layout: Sendable { case wide, narrow }

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

    /// The smallest font size either layout draws, in px of the SVG's own width.
    public static let minimumFontSize = 12.0

    /// Whether the y axis will be logarithmic.
    public var usesLogScale: Bool {
        if let logY { return logY }
        let values = series.flatMap(\.y).filter(\.isFinite)
        guard let lo = values.min(), let hi = values.max(), lo > 0 else { return false }
        return hi / lo >= 100
    }

    public var svg: String { svg(layout: .wide) }

    /// The legend entries: every series that has one, then a shared theory entry.
    var legend: [(name: String, color: String, dash: String?)] {
        var out = series.filter(\.inLegend).map { (name: $0.name, color: SVGDocument.color($0.colorIndex), dash: dash($0)) }
        if series.contains(where: { $0.dashed && !$0.inLegend }) {
            out.append((name: "dashed: theory", color: "#555555", dash: Self.theoryDash))
        }
        return out
    }

    public func svg(layout: Layout) -> String {
        let legend = self.legend
        let log = usesLogScale
        switch layout {
        case .wide:
            let frame = Frame(left: 78, top: 44, right: 540, bottom: 330)
            let longest = Double(legend.map(\.name.count).max() ?? 0)
            let width = max(760.0, frame.right + 52 + 7 * longest + 12)
            let height = max(390.0, frame.top + Double(legend.count) * 20 + 20)
            var doc = SVGDocument(width: width, height: height)
            doc.text(title, x: frame.left, y: 24, size: 16, weight: "bold")
            let (xs, ys) = scales(frame: frame, log: log)
            drawPlot(into: &doc, frame: frame, xs: xs, ys: ys, log: log, fonts: .wide)
            Self.drawLegend(legend, into: &doc, x: frame.right + 18, y: frame.top + 6, fontSize: 12)
            return doc.xml
        case .narrow:
            let frame = Frame(left: 58, top: 40, right: 346, bottom: 250)
            let legendTop = frame.bottom + 58
            let height = legendTop + Double(legend.count) * 19 + 8
            var doc = SVGDocument(width: 360, height: height)
            doc.text(title, x: 8, y: 22, size: 15, weight: "bold")
            let (xs, ys) = scales(frame: frame, log: log)
            drawPlot(into: &doc, frame: frame, xs: xs, ys: ys, log: log, fonts: .narrow)
            Self.drawLegend(legend, into: &doc, x: 8, y: legendTop, fontSize: 12, lineHeight: 19)
            return doc.xml
        }
    }

    /// Where the plot area sits, in SVG px.
    struct Frame {
        var left, top, right, bottom: Double
    }

    /// Font sizes of a layout: ticks, axis labels.
    struct Fonts {
        var tick: Double
        var axis: Double
        static let wide = Fonts(tick: 12, axis: 13)
        static let narrow = Fonts(tick: 12, axis: 13)
    }

    /// Every finite value the y axis must cover (positive ones on a log axis; a band
    /// reaching towards 0 must not squash a log axis).
    func yValues(log: Bool) -> [Double] {
        let finite = { (v: Double) in v.isFinite && (!log || v > 0) }
        var all = series.flatMap(\.y).filter(finite)
        all += series.flatMap { $0.bandLow + $0.bandHigh }.filter(finite)
        if log, let minY = series.flatMap(\.y).filter(finite).min() { all = all.filter { $0 >= minY / 100 } }
        return all
    }

    var xValues: [Double] { series.flatMap(\.x).filter(\.isFinite) }

    func scales(frame: Frame, log: Bool) -> (ChartScale, ChartScale) {
        (ChartScale(covering: xValues, log: false, pixels: (frame.left, frame.right)),
         ChartScale(covering: yValues(log: log), log: log, pixels: (frame.bottom, frame.top)))
    }

    /// Grid, ticks, axes and their labels, bands, then lines, inside `frame`.
    func drawPlot(into doc: inout SVGDocument, frame: Frame, xs: ChartScale, ys: ChartScale, log: Bool, fonts: Fonts,
                  axisLabels: Bool = true) {
        let finite = { (v: Double) in v.isFinite && (!log || v > 0) }
        for t in ys.ticks where t >= ys.low && t <= ys.high {
            let y = ys.map(t)
            doc.line(frame.left, y, frame.right, y, stroke: "#e3e3e3")
            doc.text(ChartScale.label(t), x: frame.left - 6, y: y + 4, size: fonts.tick, anchor: .end)
        }
        for t in xs.ticks where t >= xs.low && t <= xs.high {
            let x = xs.map(t)
            doc.line(x, frame.bottom, x, frame.bottom + 5)
            doc.text(ChartScale.label(t), x: x, y: frame.bottom + 19, size: fonts.tick, anchor: .middle)
        }
        doc.line(frame.left, frame.bottom, frame.right, frame.bottom)
        doc.line(frame.left, frame.top, frame.left, frame.bottom)
        if axisLabels {
            doc.text(xLabel, x: (frame.left + frame.right) / 2, y: frame.bottom + 40, size: fonts.axis, anchor: .middle)
            doc.text(yLabel + (log ? " (log scale)" : ""), x: 18, y: (frame.top + frame.bottom) / 2, size: fonts.axis,
                     anchor: .middle, rotate: -90)
        }

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
    }

    static func drawLegend(_ legend: [(name: String, color: String, dash: String?)], into doc: inout SVGDocument,
                           x: Double, y: Double, fontSize: Double, lineHeight: Double = 20) {
        var y = y
        for entry in legend {
            doc.line(x, y, x + 28, y, stroke: entry.color, width: 2.5, dash: entry.dash)
            doc.text(entry.name, x: x + 34, y: y + 4, size: fontSize)
            y += lineHeight
        }
    }

    /// The dash of theory curves.
    static let theoryDash = "7 5"

    /// A series' dash: theory's, or its colour index's past the palette (else solid).
    func dash(_ s: Series) -> String? { s.dashed ? Self.theoryDash : SVGDocument.seriesDash(s.colorIndex) }
}
