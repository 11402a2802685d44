import Foundation
import Testing
@testable import CollapseKit

/// The journal that makes runs resumable (ChainJournal.swift, RunState.swift): a record
/// reads back as the chain it was made from, and a torn or corrupt tail (a process
/// killed in the middle of a write) is skipped, never misread.
@Suite struct ChainJournalTests {
    static let chain = ChainResult(replicate: 7, values: [1.5, -0.0, .nan, .infinity, 3e-300],
                                   events: [ChainEvent(kind: .varianceCollapsed, replicate: 7, generation: 2)])

    func sameChain(_ a: ChainResult?, _ b: ChainResult) -> Bool {
        guard let a else { return false }
        return a.replicate == b.replicate && a.values.map(\.bitPattern) == b.values.map(\.bitPattern)
            && a.events.map(\.kind) == b.events.map(\.kind) && a.events.map(\.generation) == b.events.map(\.generation)
    }

    /// Indexes `bytes` written as the only journal file of a fresh folder.
    func index(_ bytes: [UInt8]) throws -> (JournalIndex, [ChainKey: ChainResult], URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
        let state = RunState(folder: folder)
        try FileManager.default.createDirectory(at: state.journalDirectory, withIntermediateDirectories: true)
        try Data(bytes).write(to: state.journalDirectory.appendingPathComponent("000001.chains"))
        let journal = try JournalIndex(folder: folder)
        var chains: [ChainKey: ChainResult] = [:]
        for (key, location) in journal.locations { chains[key] = try journal.chain(at: location) }
        return (journal, chains, folder)
    }

    @Test func recordsReadBackBitForBit() throws {
        let bytes = ChainJournal.record(cellKey: 0xDEAD_BEEF_0123_4567, chain: Self.chain)
            + ChainJournal.record(cellKey: 42, chain: ChainResult(replicate: 0, values: [], events: []))
        let (journal, chains, folder) = try index(bytes)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(journal.ignoredBytes == 0)
        #expect(journal.count == 2)
        #expect(sameChain(chains[ChainKey(cell: 0xDEAD_BEEF_0123_4567, replicate: 7)], Self.chain))
        #expect(chains[ChainKey(cell: 42, replicate: 0)]?.values == [])
    }

    @Test func aRecordLargerThanTheReadWindowAndAValueSliceReadBack() throws {
        // 300,000 values: 2.4 MB, more than the index's 1 MiB reading window.
        let big = ChainResult(replicate: 3, values: (0..<300_000).map { Double($0) * 0.5 - 7 }, events: [])
        let bytes = ChainJournal.record(cellKey: 1, chain: Self.chain) + ChainJournal.record(cellKey: 5, chain: big)
            + ChainJournal.record(cellKey: 2, chain: Self.chain)
        let (journal, chains, folder) = try index(bytes)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(journal.count == 3 && journal.ignoredBytes == 0)
        #expect(sameChain(chains[ChainKey(cell: 5, replicate: 3)], big))
        var slice = [Double](repeating: 0, count: 10)
        try slice.withUnsafeMutableBufferPointer {
            try journal.readValues(at: journal[ChainKey(cell: 5, replicate: 3)]!, range: 123_456..<123_466, into: $0)
        }
        #expect(slice == Array(big.values[123_456..<123_466]))
    }

    @Test func aTornOrCorruptTailIsSkipped() throws {
        let one = ChainJournal.record(cellKey: 1, chain: Self.chain)
        let two = ChainJournal.record(cellKey: 2, chain: Self.chain)
        // Killed at every possible byte of the second record: the first survives alone.
        for cut in 0..<two.count {
            let (journal, _, folder) = try index(one + two[..<cut])
            try? FileManager.default.removeItem(at: folder)
            #expect(journal.count == 1 && journal.contains(ChainKey(cell: 1, replicate: 7)), "cut at \(cut)")
            #expect(journal.ignoredBytes == cut, "cut at \(cut)")
        }
        // A flipped payload bit fails the checksum: that record and everything after it go.
        var flipped = one + two + one
        flipped[one.count + ChainJournal.headerSize + 20] ^= 0x10
        let (journal, _, folder) = try index(flipped)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(Array(journal.locations.keys.map(\.cell)) == [1])
        #expect(journal.ignoredBytes == two.count + one.count)
    }

    @Test func theFirstRecordOfAChainWinsAcrossFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = RunState(folder: folder)
        let a = try JournalWriter(directory: state.journalDirectory)
        try a.append(ChainJournal.record(cellKey: 9, chain: Self.chain))
        a.close()
        let b = try JournalWriter(directory: state.journalDirectory)
        #expect(a.path != b.path)
        var other = Self.chain
        other.values = [0]
        try b.append(ChainJournal.record(cellKey: 9, chain: other))
        try b.append(ChainJournal.record(cellKey: 9, chain: ChainResult(replicate: 8, values: [2], events: [])))
        b.close()
        let journal = try JournalIndex(folder: folder)
        #expect(journal.ignoredBytes == 0)
        #expect(journal.count == 2)
        #expect(sameChain(try journal.chain(at: journal[ChainKey(cell: 9, replicate: 7)]!), Self.chain))
    }

    @Test func shardsPartitionTheChains() throws {
        let e = try ConfigLoader.parseExperiment(text: SweepGridTests.base + "sweep: { samples: [10, 20, 30] }\n")
        for n in 1...5 {
            let shards = (1...n).map { Shard(index: $0, count: n) }
            for chain in e.chains {
                #expect(shards.filter { $0.contains(chain) }.count == 1)
            }
        }
        #expect(Shard("2/3") == Shard(index: 2, count: 3))
        for bad in ["0/3", "4/3", "3", "1/0", "a/b", "1/2/3", "-1/2", ""] { #expect(Shard(bad) == nil, "\(bad)") }
    }
}
