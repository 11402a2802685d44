/// The snapshots of image data as pictures: when a table's modelled columns are all
/// numeric and named `pixel_<r>_<c>` (row-major, covering an R × C grid; the digits'
/// 8 × 8), each snapshot generation of a cell becomes one row of its first ``perRow``
/// generated images, grey levels from white (0) to black (the real file's largest
/// pixel value), so a reader sees the images blur and converge down the generations.
/// Inline SVG rectangles, no raster.
enum ImageGrid {
    /// Images drawn per snapshot generation.
    static let perRow = 10
    /// Side of one pixel, in SVG units.
    static let pixel = 4.0

    /// The image shape (rows, columns) of this config's modelled columns, or nil.
    static func shape(_ config: ExperimentConfig) -> (rows: Int, columns: Int)? {
        guard let table = config.real.spec as? TableRealData, !table.columns.isEmpty else { return nil }
        var cells: [(Int, Int)] = []
        for name in table.columns {
            let parts = name.split(separator: "_")
            guard parts.count == 3, parts[0] == "pixel", let r = Int(parts[1]), let c = Int(parts[2]),
                  table.data.column(name)?.type == .numeric else { return nil }
            cells.append((r, c))
        }
        let rows = (cells.map(\.0).max() ?? 0) + 1, columns = (cells.map(\.1).max() ?? 0) + 1
        guard rows * columns == cells.count,
              cells.enumerated().allSatisfy({ $0.element == ($0.offset / columns, $0.offset % columns) }) else { return nil }
        return (rows, columns)
    }

    /// The largest value of the modelled columns in the file (the grey scale's black).
    static func maximum(_ config: ExperimentConfig) -> Double {
        guard let table = config.real.spec as? TableRealData else { return 1 }
        let m = table.columns.compactMap { table.data.column($0)?.numbers.max() }.max() ?? 1
        return m > 0 ? m : 1
    }

    /// The grid of `snaps` (in generation order), or nil when the data are not images.
    static func svg(_ snaps: [Snapshot], config: ExperimentConfig, title: String) -> String? {
        guard let (rows, columns) = shape(config), !snaps.isEmpty, snaps.allSatisfy({ $0.width == rows * columns }) else {
            return nil
        }
        let black = maximum(config)
        let label = 110.0, gap = 6.0, top = 30.0
        let imageWidth = Double(columns) * pixel, imageHeight = Double(rows) * pixel
        let width = label + Double(perRow) * (imageWidth + gap) + gap
        let height = top + Double(snaps.count) * (imageHeight + gap) + gap
        var doc = SVGDocument(width: width, height: height)
        doc.text(title, x: gap, y: 18, size: 13, weight: "bold")
        for (band, snap) in snaps.enumerated() {
            let y0 = top + Double(band) * (imageHeight + gap)
            doc.text("generation \(snap.generation)", x: gap, y: y0 + imageHeight / 2 + 4, size: 12)
            for image in 0..<min(perRow, snap.count) {
                let x0 = label + Double(image) * (imageWidth + gap)
                doc.rect(x0 - 0.5, y0 - 0.5, imageWidth + 1, imageHeight + 1, fill: "#ffffff", stroke: "#bbbbbb")
                for r in 0..<rows {
                    for c in 0..<columns {
                        let v = snap.values[image * snap.width + r * columns + c]
                        let ink = v.isFinite ? min(max(v / black, 0), 1) : 0
                        guard ink > 0.02 else { continue }
                        let level = Int((1 - ink) * 255)
                        let hex = String(level, radix: 16)
                        let grey = (hex.count == 1 ? "0" + hex : hex)
                        doc.rect(x0 + Double(c) * pixel, y0 + Double(r) * pixel, pixel, pixel, fill: "#" + grey + grey + grey)
                    }
                }
            }
        }
        return doc.xml
    }
}
