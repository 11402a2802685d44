import Foundation
import Testing
@testable import CollapseKit

/// The streaming writer of the result files (CellResultsWriter.swift): reading the
/// chains back from the journal one at a time, and the summary a block of generations
/// at a time, gives the bytes the whole-cell tables give, whatever the block size.
@Suite struct StreamingResultsTests {
    /// A sink that keeps the bytes.
    final class MemorySink: TableSink {
        var bytes: [UInt8] = []
        func write(_ text: inout CSVBytes) throws { bytes += text.bytes; text.removeAll() }
        func commit() throws {}
        func discard() {}
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Chains of different lengths (temperature 10¹⁰ overflows each at its own
    /// generation, with an event) and a cell of full-length ones.
    static let configs = [
        "replicates: 5\ngenerations: 120\nsamples: 10\nsampling: { temperature: 1e10 }\nmetrics: [variance, w2]",
        "replicates: 7\ngenerations: 30\nsamples: 12\nmetrics: [mean, tail_mass_ratio, variance]",
    ]

    @Test(arguments: configs)
    func blocksOfAnySizeGiveTheWholeCellsBytes(_ yaml: String) throws {
        let config = try TestRun.config(yaml)
        let cell = Cell(parameters: [:], config: config)
        let experiment = Experiment(cells: [cell], sweep: nil, source: .init(text: "", overrides: [], directory: "."))
        let result = ExperimentRunner(experiment: experiment, jobs: 2).results()[0]

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try JournalWriter(directory: RunState(folder: folder).journalDirectory)
        // Journaled in reverse, as workers may finish them: the files are in replicate order anyway.
        for chain in result.chains.reversed() { try writer.append(ChainJournal.record(cellKey: cell.key, chain: chain)) }
        writer.close()
        let journal = try JournalIndex(folder: folder)

        let metricsHeader = MetricsTable.header + "\n", summaryHeader = SummaryTable.header + "\n"
        let expectedMetrics = MetricsTable.csv([result]), expectedSummary = SummaryTable.csv([result])
        var expectedEvents = ""
        for chain in result.chains {
            for e in chain.events.sorted(by: { ($0.generation, $0.kind.rawValue) < ($1.generation, $1.kind.rawValue) }) {
                expectedEvents += "\(cell.id),\(chain.replicate),\(e.generation),\(e.kind.rawValue)\n"
            }
        }
        let m = config.metrics.count, R = config.replicates
        for (budget, workers) in [(1, 1), (m * R, 2), (3 * m * R + 1, 3), (1 << 22, 1), (1 << 22, 2)] {
            let metrics = MemorySink(), summary = MemorySink(), events = MemorySink()
            let summaryOut = try CellResultsWriter(cell: cell, journal: journal, budget: budget, workers: workers)
                .write(metrics: metrics, summary: summary, events: events)
            #expect(metricsHeader + metrics.text == expectedMetrics, "budget \(budget)")
            #expect(summaryHeader + summary.text == expectedSummary, "budget \(budget)")
            #expect(events.text == expectedEvents, "budget \(budget)")
            #expect(summaryOut.chains == R && summaryOut.notOK == result.chains.filter { $0.status != .ok }.count)
            #expect(summaryOut.row(config.metrics[0], generation: 3) == SummaryTable.summary(result, metric: config.metrics[0], generation: 3))
        }
        if yaml.contains("1e10") { #expect(!expectedEvents.isEmpty) }
    }

    /// The number format of the byte writer is ``NumberFormat/double(_:)``'s.
    @Test func valuesAreWrittenAsNumberFormatWritesThem() {
        let values: [Double] = [0, -0.0, 1, -3, 1e15, 999_999_999_999_999, 0.1, -2.5e-300, .nan, .infinity,
                                -.infinity, 123_456_789.125, Double.greatestFiniteMagnitude, 4.9e-324]
        for x in values {
            var out = CSVBytes()
            out.append(x)
            #expect(String(decoding: out.bytes, as: UTF8.self) == NumberFormat.double(x), "\(x)")
        }
        // And a million values of every magnitude, from a fixed stream.
        let stream = RandomStream(key: StreamKey(seed: 9, cell: 0, replicate: 0))
        var written = CSVBytes(), expected = ""
        for i in 0..<1_000_000 {
            let x = stream.standardNormal() * Double(sign: .plus, exponent: i % 200 - 100, significand: 1)
            written.append(x)
            written.append(byte: 10)
            expected += NumberFormat.double(x) + "\n"
        }
        #expect(String(decoding: written.bytes, as: UTF8.self) == expected)
        var ints = CSVBytes()
        for i in [0, 7, 10, 99, 100, 123_456, -42, Int.max, Int.min] { ints.append(i); ints.append(byte: 32) }
        #expect(String(decoding: ints.bytes, as: UTF8.self) == "0 7 10 99 100 123456 -42 \(Int.max) \(Int.min) ")
    }
}
