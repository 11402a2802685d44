/// A sample of documents: every document's tokens (ids into the corpus vocabulary,
/// 0..<V) one after another in one flat `Int32` buffer, and the offsets where each
/// document starts. Document d is `tokens[starts[d]..<starts[d + 1]]`; an observation
/// is a document, so `count` (and the config's `samples`) counts documents.
///
/// Flat by design (ARCHITECTURE.md, "Data is flat"): no per-document arrays, so a
/// generation's training set and batch are two allocations whatever their size.
public struct DocumentSample: TrainingData, Equatable {
    public var tokens: [Int32]
    /// `count + 1` offsets into `tokens`, from 0 to `tokens.count`, non-decreasing.
    public var starts: [Int]

    public init(tokens: [Int32], starts: [Int]) {
        precondition(starts.first == 0 && starts.last == tokens.count, "document offsets must run from 0 to the token count")
        self.tokens = tokens
        self.starts = starts
    }

    /// Documents given one by one (tests, hand-built corpora).
    public init(documents: [[Int32]]) {
        var tokens: [Int32] = [], starts = [0]
        for d in documents {
            tokens.append(contentsOf: d)
            starts.append(tokens.count)
        }
        self.init(tokens: tokens, starts: starts)
    }

    /// Number of documents.
    public var count: Int { starts.count - 1 }

    /// Tokens of document d.
    public func document(_ d: Int) -> ArraySlice<Int32> { tokens[starts[d]..<starts[d + 1]] }

    /// Length of document d in tokens (without boundary tokens).
    public func length(_ d: Int) -> Int { starts[d + 1] - starts[d] }

    public func prefix(_ n: Int) -> DocumentSample {
        DocumentSample(tokens: Array(tokens[0..<starts[n]]), starts: Array(starts[0...n]))
    }

    public func rows(_ rows: [Int]) -> DocumentSample {
        var out: [Int32] = [], offsets = [0]
        out.reserveCapacity(rows.reduce(0) { $0 + length($1) })
        offsets.reserveCapacity(rows.count + 1)
        for r in rows {
            out.append(contentsOf: tokens[starts[r]..<starts[r + 1]])
            offsets.append(out.count)
        }
        return DocumentSample(tokens: out, starts: offsets)
    }

    public mutating func append(_ other: DocumentSample) {
        let base = tokens.count
        tokens.append(contentsOf: other.tokens)
        starts.reserveCapacity(starts.count + other.count)
        for d in 1..<other.starts.count { starts.append(base + other.starts[d]) }
    }

    public static func concatenate(_ parts: [DocumentSample]) -> DocumentSample {
        var out = parts[0]
        for p in parts.dropFirst() { out.append(p) }
        return out
    }

    /// One value per document in `samples.csv`: its length in tokens (the snapshot
    /// histogram is the length distribution).
    public var snapshotWidth: Int { 1 }
    public var snapshotValues: [Double] { (0..<count).map { Double(length($0)) } }
}
