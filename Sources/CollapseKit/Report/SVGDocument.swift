import Foundation

/// A minimal SVG writer: shapes and text appended in order, serialized as a
/// standalone, well-formed SVG 1.1 document with no external resources.
struct SVGDocument {
    let width: Double
    let height: Double
    private(set) var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Twelve distinct series colours: Okabe & Ito's colour-blind-safe palette (without
    /// yellow, hard to see on white), then five of Paul Tol's (wine, olive, indigo,
    /// brown, grey).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
                          "#882255", "#999933", "#332288", "#661100", "#888888"]

    static func color(_ i: Int) -> String { palette[i % palette.count] }

    /// Past the palette, colours repeat with a dash pattern of their own (theory curves
    /// keep "7 5"): series i and i + 12 never look alike.
    static let seriesDashes = ["2 3", "10 3 2 3", "1 4", "12 4"]

    static func seriesDash(_ i: Int) -> String? {
        i < palette.count ? nil : seriesDashes[(i / palette.count - 1) % seriesDashes.count]
    }

    mutating func append(_ element: String) { body.append(element) }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double,
                       stroke: String = "#444", width: Double = 1, dash: String? = nil) {
        append("<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(f(width))\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String,
                       opacity: Double = 1, stroke: String? = nil, cssClass: String? = nil) {
        append("<rect\(cssClass.map { " class=\"\($0)\"" } ?? "") x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(w, 0)))\" height=\"\(f(max(h, 0)))\" fill=\"\(fill)\" fill-opacity=\"\(f(opacity))\"\(stroke.map { " stroke=\"\($0)\"" } ?? "")/>")
    }

    /// An open polyline; `cssClass` and `series` make the series countable by tests.
    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2,
                           dash: String? = nil, cssClass: String, series: String) {
        let pts = points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
        append("<polyline class=\"\(cssClass)\" data-series=\"\(Self.escape(series))\" points=\"\(pts)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(f(width))\" stroke-linejoin=\"round\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>")
    }

    mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double, cssClass: String) {
        let pts = points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
        append("<polygon class=\"\(cssClass)\" points=\"\(pts)\" fill=\"\(fill)\" fill-opacity=\"\(f(opacity))\" stroke=\"none\"/>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, cssClass: String) {
        append("<circle class=\"\(cssClass)\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\" fill=\"\(fill)\"/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ s: String, x: Double, y: Double, size: Double = 13, anchor: Anchor = .start,
                       rotate: Double? = nil, weight: String? = nil, fill: String = "#222") {
        let transform = rotate.map { " transform=\"rotate(\(f($0)) \(f(x)) \(f(y)))\"" } ?? ""
        append("<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\"\(weight.map { " font-weight=\"\($0)\"" } ?? "")\(transform)>\(Self.escape(s))</text>")
    }

    var xml: String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>\n"
        for element in body { out += element + "\n" }
        return out + "</svg>\n"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Coordinates with two decimals: compact and stable.
    private func f(_ x: Double) -> String { String(format: "%.2f", x) }
}
