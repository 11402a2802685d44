/// A family whose observation is a whole document of a text corpus
/// (`real.distribution: text`, ``TextRealData``): R₀, the held-out set and fresh real
/// data are whole documents drawn without replacement from the chain's ``RowPool`` over
/// the corpus's documents, and `samples` counts documents. The n-gram family and an
/// external generator with `data: text` are both; they share the text metrics of the
/// batch (``TextMetrics``).
public protocol DocumentFamily: GenerativeFamily where Data == DocumentSample, Truth == RowPool {
    /// The corpus: its documents as token ids.
    var corpus: CategoryPopulation { get }
    /// V, the corpus's token types (ids 0..<V).
    var vocabularySize: Int { get }
}

extension DocumentFamily {
    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) -> RowPool {
        RowPool(rowCount: corpus.documentCount)
    }

    /// `count` whole documents, without replacement (one `uniformIndex` draw each).
    public func drawReal(_ count: Int, truth: RowPool, stream: RandomStream) -> DocumentSample {
        let starts = corpus.starts!
        var tokens: [Int32] = [], offsets = [0]
        offsets.reserveCapacity(count + 1)
        for _ in 0..<count {
            let d = truth.takeOne(stream: stream)
            tokens.append(contentsOf: corpus.tokens[starts[d]..<starts[d + 1]])
            offsets.append(tokens.count)
        }
        return DocumentSample(tokens: tokens, starts: offsets)
    }
}
