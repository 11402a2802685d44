import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import CollapseKit

/// summary.csv's quantiles, and the chart rules of `collapse report`.
struct SummaryQuantileTests {
    /// Against numpy 1.26's `np.quantile(x, [0.5, 0.05, 0.25, 0.75, 0.95])` (method
    /// "linear", numpy's default): [2.0, -2.5, 0.125, 4.875, 8.75] for the 11 values
    /// below, and [3.0, 1.2, 2.0, 4.0, 4.8] for [5, 1]. Non-finite values are left out.
    @Test func quantilesMatchNumpy() {
        let x = [3.5, -1.0, 0.25, 7.0, 2.0, 2.0, .nan, 10.5, -4.0, 0.0, 1.5, .infinity, 6.25]
        #expect(SummaryTable.summarize(x).quantiles == [2.0, -2.5, 0.125, 4.875, 8.75])
        #expect(SummaryTable.summarize(x).replicates == 11)
        #expect(SummaryTable.summarize([5, 1]).quantiles == [3.0, 1.2, 2.0, 4.0, 4.8])
        #expect(SummaryTable.summarize([7]).quantiles == [7, 7, 7, 7, 7])
        #expect(SummaryTable.summarize([.nan]).quantiles.allSatisfy { $0.isNaN })
    }

    @Test func boundsAreCrossedOnlyOutside() {
        #expect(MetricName.variance.isCrossed(low: [0.1, -0.01], high: [1, 1]))
        #expect(!MetricName.variance.isCrossed(low: [0, 0.2], high: [5, 9]))
        #expect(MetricName.ks.isCrossed(low: [0.5], high: [1.02]))
        #expect(!MetricName.mean.isCrossed(low: [-1e9], high: [1e9]))
        #expect(!MetricName.variance.isCrossed(low: [.nan], high: [.nan]))
    }
}

struct LineChartTests {
    func strokes(_ svg: String, cssClass: String = "series") throws -> [(stroke: String, dash: String?)] {
        let doc = try XMLDocument(data: Data(svg.utf8))
        return try doc.nodes(forXPath: "//*[local-name()='polyline'][@class='\(cssClass)']").map { node in
            (try node.nodes(forXPath: "@stroke").first?.stringValue ?? "",
             try node.nodes(forXPath: "@stroke-dasharray").first?.stringValue)
        }
    }

    func series(_ count: Int) -> [LineChart.Series] {
        (0..<count).map { i in LineChart.Series(name: "s\(i)", x: [0, 1, 2], y: [1, 2, Double(i)], colorIndex: i) }
    }

    @Test func tenSeriesHaveTenDistinctColours() throws {
        let drawn = try strokes(LineChart(title: "t", xLabel: "x", yLabel: "y", series: series(10)).svg)
        #expect(drawn.count == 10 && Set(drawn.map(\.stroke)).count == 10)
        #expect(drawn.allSatisfy { $0.dash == nil })
    }

    /// Past the twelve colours, a colour comes back with a dash pattern: no two of 20
    /// series share both colour and dash.
    @Test func seriesPastThePaletteGetADash() throws {
        let drawn = try strokes(LineChart(title: "t", xLabel: "x", yLabel: "y", series: series(20)).svg)
        #expect(Set(drawn.map { "\($0.stroke) \($0.dash ?? "solid")" }).count == 20)
        #expect(drawn[12].stroke == drawn[0].stroke && drawn[12].dash != nil)
    }

    /// On a log axis, band edges at or below 0 are clipped to the axis floor: the band
    /// keeps a vertex for every generation instead of skipping those.
    @Test func logAxisBandKeepsEveryGeneration() throws {
        let s = LineChart.Series(name: "m", x: [0, 1, 2, 3, 4], y: [1000, 100, 10, 1, 0.1],
                                 bandLow: [500, -3, 0, 0.5, -0.2], bandHigh: [2000, 200, 20, 2, 0.3], colorIndex: 0)
        let chart = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [s])
        #expect(chart.usesLogScale)
        let doc = try XMLDocument(data: Data(chart.svg.utf8))
        let band = try #require(try doc.nodes(forXPath: "//*[local-name()='polygon'][@class='band']/@points").first?.stringValue)
        #expect(band.split(separator: " ").count == 10)
    }

    @Test func parametersSortNumerically() {
        let cells: [[String: JSONValue]] = [["samples": .int(100)], ["samples": .int(20)], ["samples": .double(5.5)]]
        let sorted = cells.sorted { ReportBuilder.precedes($0, $1) }
        #expect(sorted.map { $0["samples"]! } == [.double(5.5), .int(20), .int(100)])
        #expect(ReportBuilder.precedes(["k": .string("accumulate")], ["k": .string("replace")]))
    }
}
