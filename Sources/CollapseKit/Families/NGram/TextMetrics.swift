import Foundation

/// The n-gram family's text metrics (the names are a contract), on the fitted model or
/// the generated batch of documents, against R₀ or the held-out real documents
/// (`heldout` documents drawn when the chain starts, disjoint from R₀). Tokens are the
/// corpus's; the boundary tokens never count as tokens here (only perplexity predicts
/// the end token).
///
/// - `perplexity_heldout`: exp(−Σ log p / N) over the held-out documents' events, N =
///   tokens + documents (each document's end token is predicted too, as SRILM's `ppl`
///   counts `</s>`); +∞ when the model gives an event probability 0 (`smoothing: none`).
/// - `vocabulary_retained`: |types(batch) ∩ types(R₀)| / |types(R₀)|.
/// - `distinct_2`: distinct bigrams / bigrams in the batch, adjacent tokens within a
///   document (Li et al., "A Diversity-Promoting Objective Function for Neural
///   Conversation Models", NAACL 2016); NaN when no document has two tokens.
/// - `zipf_exponent`: the least-squares slope of log frequency against log rank over the
///   batch's m = min(1000, types) most frequent types (rank 1…m; ≈ −1 for English, 0 for
///   a flat distribution); NaN below two types.
/// - `unigram_tv`: ½ Σ_w |f_batch(w) − f_heldout(w)| between the token frequencies;
///   NaN for a batch without tokens.
/// - `mean_length`: tokens / documents of the batch.
public enum TextMetrics {
    /// The n-gram family's: `perplexity_heldout` and the batch metrics.
    static let all: [Metric<NGramFamily>] =
        [Metric(.perplexityHeldout, needs: [.model, .heldout]) { $0.model.perplexity(of: $0.heldout!) }] + batchMetrics()

    /// The metrics of the generated documents alone (every family of documents has
    /// them; an external generator has no density, so no perplexity).
    static func batchMetrics<F: DocumentFamily>() -> [Metric<F>] {
        [
            Metric(.vocabularyRetained, needs: [.batch, .initialReal]) { c in
                let r0 = c.perChain(initialTypesKey) { types(c.initialReal!, vocabulary: c.family.vocabularySize) }
                return vocabularyRetained(batchCounts: counts(c), initialTypes: r0)
            },
            Metric(.distinct2, needs: .batch) { distinctBigrams($0.batch!) },
            Metric(.zipfExponent, needs: .batch) { zipfSlope(counts: counts($0)) },
            Metric(.unigramTV, needs: [.batch, .heldout]) { c in
                let heldout = c.perChain(heldoutCountsKey) { tokenCounts(c.heldout!, vocabulary: c.family.vocabularySize) }
                return totalVariation(counts(c), heldout)
            },
            Metric(.meanLength, needs: .batch) { meanLength($0.batch!) },
        ]
    }

    static let batchCountsKey = SharedValue<[Int]>()
    static let initialTypesKey = SharedValue<[Bool]>()
    static let heldoutCountsKey = SharedValue<[Int]>()

    static func counts<F: DocumentFamily>(_ c: MetricContext<F>) -> [Int] {
        c.shared(batchCountsKey) { tokenCounts(c.batch!, vocabulary: c.family.vocabularySize) }
    }

    /// How many times each token id 0..<V occurs.
    public static func tokenCounts(_ data: DocumentSample, vocabulary: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: vocabulary)
        data.tokens.withUnsafeBufferPointer { for t in $0 { counts[Int(t)] += 1 } }
        return counts
    }

    /// Which token ids occur.
    public static func types(_ data: DocumentSample, vocabulary: Int) -> [Bool] {
        tokenCounts(data, vocabulary: vocabulary).map { $0 > 0 }
    }

    /// The share of R₀'s types with a positive batch count.
    public static func vocabularyRetained(batchCounts: [Int], initialTypes: [Bool]) -> Double {
        var kept = 0, total = 0
        for w in 0..<initialTypes.count where initialTypes[w] {
            total += 1
            if batchCounts[w] > 0 { kept += 1 }
        }
        return Double(kept) / Double(total)
    }

    /// Distinct within-document bigrams / within-document bigrams.
    public static func distinctBigrams(_ data: DocumentSample) -> Double {
        var seen = PackedIdTable(expected: data.tokens.count)
        var total = 0
        for d in 0..<data.count where data.length(d) >= 2 {
            let doc = data.document(d)
            var previous = doc[doc.startIndex]
            for w in doc.dropFirst() {
                _ = seen.insert(PackedIdTable.key(previous, w))
                previous = w
                total += 1
            }
        }
        return total == 0 ? .nan : Double(seen.count) / Double(total)
    }

    /// The least-squares slope of log count on log rank over the (at most) 1,000 largest
    /// positive counts, ranks 1, 2, … in descending order of count.
    public static func zipfSlope(counts: [Int], top: Int = 1000) -> Double {
        var positive = counts.filter { $0 > 0 }
        positive.sort(by: >)
        let m = min(top, positive.count)
        guard m >= 2 else { return .nan }
        var sx = 0.0, sy = 0.0
        for r in 0..<m {
            sx += log(Double(r + 1))
            sy += log(Double(positive[r]))
        }
        let mx = sx / Double(m), my = sy / Double(m)
        var sxy = 0.0, sxx = 0.0
        for r in 0..<m {
            let dx = log(Double(r + 1)) - mx
            sxy += dx * (log(Double(positive[r])) - my)
            sxx += dx * dx
        }
        return sxy / sxx
    }

    /// ½ Σ |a_w/Σa − b_w/Σb|; NaN when either has no tokens.
    public static func totalVariation(_ a: [Int], _ b: [Int]) -> Double {
        let na = Double(a.reduce(0, +)), nb = Double(b.reduce(0, +))
        guard na > 0, nb > 0 else { return .nan }
        var s = 0.0
        for w in 0..<a.count { s += abs(Double(a[w]) / na - Double(b[w]) / nb) }
        return s / 2
    }

    /// Mean tokens per document.
    public static func meanLength(_ data: DocumentSample) -> Double {
        Double(data.tokens.count) / Double(data.count)
    }
}
