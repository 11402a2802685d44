/// The rows of a finite real dataset one chain has not used yet, handed out without
/// replacement: R₀, the held-out sample and every `fresh` real draw of a chain come from
/// one pool, so they never share a row.
///
/// A lazy Fisher–Yates shuffle (Knuth, TAOCP vol. 2, Algorithm P) over 0..<rowCount:
/// taking k rows swaps k positions, and only positions that moved are stored, so a
/// chain that uses few rows of a large file costs O(k), not O(rowCount). Each row taken
/// costs one `uniformIndex` draw from the chain's stream.
public final class RowPool {
    public let rowCount: Int
    /// Rows taken so far (the shuffle's boundary).
    public private(set) var taken = 0
    /// position → row, for positions whose row is not their own index.
    private var moved: [Int: Int] = [:]

    public init(rowCount: Int) {
        precondition(rowCount >= 0)
        self.rowCount = rowCount
    }

    public var remaining: Int { rowCount - taken }

    /// One unused row, uniformly among those left.
    public func takeOne(stream: RandomStream) -> Int {
        precondition(remaining > 0, "row pool exhausted: the config's size check should have refused this run")
        let j = taken + stream.uniformIndex(below: remaining)
        let rowJ = moved[j] ?? j
        let rowI = moved[taken] ?? taken
        moved[j] = rowI
        moved[taken] = nil
        taken += 1
        return rowJ
    }

    /// `count` unused rows, in the order drawn.
    public func take(_ count: Int, stream: RandomStream) -> [Int] {
        (0..<count).map { _ in takeOne(stream: stream) }
    }
}
