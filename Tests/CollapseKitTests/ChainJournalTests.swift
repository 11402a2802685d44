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

    @Test func recordsReadBackBitForBit() throws {
        let bytes = ChainJournal.record(cellKey: 0xDEAD_BEEF_0123_4567, chain: Self.chain)
            + ChainJournal.record(cellKey: 42, chain: ChainResult(replicate: 0, values: [], events: []))
        let (entries, ignored) = ChainJournal.read(bytes)
        #expect(ignored == 0)
        #expect(entries.count == 2)
        #expect(entries[0].cellKey == 0xDEAD_BEEF_0123_4567 && entries[0].replicate == 7)
        #expect(sameChain(ChainJournal.decode(entries[0]), Self.chain))
        #expect(ChainJournal.decode(entries[1])?.values == [])
    }

    @Test func aTornOrCorruptTailIsSkipped() throws {
        let one = ChainJournal.record(cellKey: 1, chain: Self.chain)
        let two = ChainJournal.record(cellKey: 2, chain: Self.chain)
        // Killed at every possible byte of the second record: the first survives alone.
        for cut in 0..<two.count {
            let (entries, ignored) = ChainJournal.read(one + two[..<cut])
            #expect(entries.count == 1 && entries[0].cellKey == 1, "cut at \(cut)")
            #expect(ignored == cut, "cut at \(cut)")
        }
        // A flipped payload bit fails the checksum: that record and everything after it go.
        var flipped = one + two + one
        flipped[one.count + ChainJournal.headerSize + 20] ^= 0x10
        let (entries, ignored) = ChainJournal.read(flipped)
        #expect(entries.map(\.cellKey) == [1])
        #expect(ignored == two.count + one.count)
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
        let (entries, ignored) = state.readJournal()
        #expect(ignored == 0)
        #expect(entries.count == 2)
        #expect(sameChain(entries[ChainKey(cell: 9, replicate: 7)].flatMap(ChainJournal.decode), Self.chain))
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
