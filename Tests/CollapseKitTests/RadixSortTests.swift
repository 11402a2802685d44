import Foundation
import Testing
@testable import CollapseKit

/// The summary's radix sort against the standard library's comparison sort.
struct RadixSortTests {
    /// Random mixes of signs, magnitudes, duplicates, zeros and infinities, below and
    /// above the comparison-sort threshold: the same values in the same order (zeros
    /// compared by value: −0 and +0 may trade places).
    @Test(arguments: [10, 255, 256, 257, 1000, 20_000])
    func equalsTheComparisonSort(count: Int) {
        var rng = SystemRandomNumberGenerator()
        for shape in 0..<5 {
            var values: [Double] = (0..<count).map { _ in
                switch shape {
                case 0: return Double.random(in: -1...1, using: &rng)
                case 1: return Double.random(in: 0.9...1.1, using: &rng)  // shared high bytes
                case 2: return Double(Int.random(in: -3...3, using: &rng))  // many ties and zeros
                case 3: return [0.0, -0.0, .infinity, -.infinity, 1e-300, -1e300][Int.random(in: 0..<6, using: &rng)]
                default: return exp(Double.random(in: -700...700, using: &rng)) * (Bool.random(using: &rng) ? 1 : -1)
                }
            }
            let expected = values.sorted()
            RadixSort.sort(&values)
            #expect(values == expected, "shape \(shape), \(count) values")
            // Bits equal too, except that zeros may trade signs.
            #expect(zip(values, expected).allSatisfy { $0.bitPattern == $1.bitPattern || ($0 == 0 && $1 == 0) })
        }
    }

    /// A summary row is written the same whichever signs its zeros have, so whichever
    /// order a sort puts −0 and +0 in: the mean and sd have the same bits, and a
    /// quantile that lands among zeros may be −0 or +0, both written "0".
    @Test func summaryIsWrittenTheSameWhateverTheSignsOfZeros() {
        let values: [Double] = (0..<1000).map { (i: Int) -> Double in
            if i % 3 != 0 { return Double(i % 7) - 3 }
            return i % 2 == 0 ? 0.0 : -0.0
        }
        let flipped = values.map { $0 == 0 ? -$0 : $0 }
        let a = SummaryTable.summarize(values), b = SummaryTable.summarize(flipped)
        #expect([a.mean, a.sd].map(\.bitPattern) == [b.mean, b.sd].map(\.bitPattern))
        #expect(a.quantiles.map(NumberFormat.double) == b.quantiles.map(NumberFormat.double))
        #expect(a.quantiles.contains(0), "no quantile lands among the zeros: the test checks nothing")
    }
}
