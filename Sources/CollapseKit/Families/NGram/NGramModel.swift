import Foundation

/// How an n-gram model turns counts into probabilities (`model.smoothing`).
public enum NGramSmoothing: Equatable, Sendable {
    /// Maximum likelihood: p(w | h) = c(h w) / c(h •). A context never seen in training
    /// has no distribution (probability 0 for every token, so held-out perplexity is ∞).
    case none
    /// Add-α (Lidstone; Chen & Goodman 1998, §2.1): p(w | h) = (c(h w) + α) / (c(h •) + α|V|),
    /// |V| the predicted tokens (the corpus vocabulary and the end token); uniform for an
    /// unseen context.
    case addAlpha(Double)
    /// Interpolated Kneser–Ney with one discount D per order (Chen & Goodman 1998, §3.5 and
    /// eq. 17, the "interpolated" variant; Kneser & Ney, ICASSP 1995), the recursion ended
    /// at the uniform distribution over |V| (C&G §2.5). See ``NGramModel``.
    case kneserNey(Double)
}

/// A fitted n-gram language model over token ids 0..<V, with the end token V (predicted)
/// and the begin token V + 1 (context only). Every document is read as
/// `⟨s⟩^(n−1) w₁ … w_L ⟨/s⟩`: n − 1 begin tokens, its tokens, one end token; each of
/// its L + 1 positions after the padding is one event.
///
/// Storage is a trie of hash tables (``PackedIdTable``), one per order k = 1…n, keyed
/// by (id of the (k−1)-gram, last token); per k-gram its count, and per context its
/// total and number of distinct followers; then, per context, its followers in one flat
/// CSR list for sampling. Everything is O(distinct n-grams).
///
/// Interpolated Kneser–Ney, discount D ∈ (0, 1], as Chen & Goodman (1998, eq. 17 with
/// the lower orders of §3.5; nltk's `KneserNeyInterpolated` has the same recursion, see
/// docs/families.md for where it differs):
///
///     p_n(w | h) = max(c(h w) − D, 0) / c(h •) + γ(h) p_{n−1}(w | h′),  γ(h) = D N₁₊(h •) / c(h •)
///     p_k(w | h) = max(N₁₊(• h w) − D, 0) / N₁₊(• h •) + γ_k(h) p_{k−1}(w | h′)   (1 ≤ k < n)
///     p_0(w) = 1/|V|
///
/// where h′ drops h's first token, N₁₊(• h w) is the number of distinct tokens seen
/// before h w (its continuation count), N₁₊(• h •) = Σ_w N₁₊(• h w) and
/// γ_k(h) = D·#{w : N₁₊(• h w) > 0} / N₁₊(• h •). A context with no events at an order
/// passes the lower order through (γ = 1), as nltk does. With the n − 1 begin tokens
/// every lower-order event has a left neighbour, so the continuation counts are
/// defined at every position.
public struct NGramModel: Sendable {
    public let order: Int
    /// V: the vocabulary (predicted tokens are 0..<V and the end token V).
    public let vocabularySize: Int
    public let smoothing: NGramSmoothing
    /// Documents and events (tokens + end tokens) it was fitted to.
    public let documents: Int
    public let events: Int

    /// tables[k − 1]: (parent (k−1)-gram id, token) → k-gram id, k = 1…n.
    var tables: [PackedIdTable]
    /// counts[k][id] for the k-grams (index 0: the root): the raw count at k = n, the
    /// continuation count N₁₊(• g) below (Kneser–Ney only).
    var counts: [[Int32]]
    /// totals[k][ctx], distinct[k][ctx]: for order k's contexts (the (k−1)-grams), the
    /// sum and the number of non-zero counts of order k that extend them.
    var totals: [[Int32]]
    var distinct: [[Int32]]
    /// Order k's followers of each context: childStart[k][ctx]..<childStart[k][ctx + 1]
    /// index childToken[k] and childWeight[k] (count − D for Kneser–Ney, the count
    /// otherwise) and childCumulative[k] (running sum of the weights within the context).
    var childStart: [[Int32]]
    var childToken: [[Int32]]
    var childWeight: [[Double]]
    var childCumulative: [[Double]]
    /// beginIds[k]: the id of ⟨s⟩^k at order k (beginIds[0] = 0, the root).
    var beginIds: [Int32]
    /// Kneser–Ney with n ≥ 2: p₁(w) for every predicted token (context-free).
    var unigram: [Double]
    /// Predicted tokens by p₁ (Kneser–Ney) descending, ties by lower index; nil unless
    /// a sparse top_k sampler asked for it.
    var tailOrder: [Int32]?
    /// Kneser–Ney, for the temperature path of ``NGramSampler``: (p₁(w)/max p₁)^(1/T) for
    /// every token, their sum and an alias table over them; nil unless asked for.
    var tempered: Tempered?

    /// p₁ raised to 1/T, relative to its largest value (so nothing underflows first).
    struct Tempered: Sendable {
        let temperature: Double
        let largest: Double
        let powered: [Double]
        let total: Double
        let table: WalkerAliasTable
    }

    /// The end token's id (V).
    public var end: Int32 { Int32(vocabularySize) }
    /// The begin token's id (V + 1).
    public var begin: Int32 { Int32(vocabularySize + 1) }
    /// |V|: predicted tokens (vocabulary and the end token).
    public var predicted: Int { vocabularySize + 1 }

    var discount: Double {
        if case .kneserNey(let d) = smoothing { return d }
        return 0
    }

    /// Counts every n-gram of `data` (documents of ids below `vocabularySize`).
    /// - Complexity: O(n·(tokens + documents)) expected time; the model keeps O(distinct
    ///   n-grams), and the count itself borrows O(n·events) of scratch (the most distinct
    ///   n-grams the data could have), released when the model is built.
    public init(fitting data: DocumentSample, order n: Int, vocabularySize V: Int, smoothing: NGramSmoothing,
                sparseTopK: Bool = false, temperature: Double? = nil) {
        precondition((1...5).contains(n) && V >= 1)
        order = n
        vocabularySize = V
        self.smoothing = smoothing
        let eventCount = data.tokens.count + data.count
        documents = data.count
        events = eventCount
        let end = Int32(V), begin = Int32(V + 1)
        let kneserNey: Bool
        if case .kneserNey = smoothing { kneserNey = true } else { kneserNey = false }

        var tables = (1...n).map { k in PackedIdTable(expected: k == 1 ? min(eventCount, V + 2) : eventCount) }
        // Per order k: every k-gram's count, parent and last token; per order k's contexts
        // (the (k−1)-grams) their total and distinct counts. Distinct k-grams are at most
        // the events plus the begin run, so flat buffers of that size hold them, and the
        // arrays kept are cut to the distinct counts.
        let capacity = eventCount + n + 1
        let buffers = (0...n).map { _ in (0..<5).map { _ in FlatCounts(capacity) } }
        let count = buffers.map { $0[0].pointer }, parent = buffers.map { $0[1].pointer }
        let last = buffers.map { $0[2].pointer }, total = buffers.map { $0[3].pointer }
        let nonzero = buffers.map { $0[4].pointer }
        var used = [Int](repeating: 0, count: n + 1)
        used[0] = 1

        var beginIds: [Int32] = [0]
        for k in stride(from: 1, to: n, by: 1) {
            let (id, _) = tables[k - 1].insert(PackedIdTable.key(beginIds[k - 1], begin))
            parent[k][Int(id)] = beginIds[k - 1]
            last[k][Int(id)] = begin
            used[k] = Int(id) + 1
            beginIds.append(id)
        }

        var previous = [Int32](repeating: 0, count: n + 1)
        var current = [Int32](repeating: 0, count: n + 1)
        var isNew = [Bool](repeating: false, count: n + 1)
        data.tokens.withUnsafeBufferPointer { tokens in
            for d in 0..<data.count {
                for k in 0..<n { previous[k] = beginIds[k] }
                let from = data.starts[d], to = data.starts[d + 1]
                for i in from...to {
                    let w = i < to ? tokens[i] : end
                    for k in 1...n {
                        let p = previous[k - 1]
                        let (id, new) = tables[k - 1].insert(PackedIdTable.key(p, w))
                        if new {
                            parent[k][Int(id)] = p
                            last[k][Int(id)] = w
                            used[k] = Int(id) + 1
                        }
                        current[k] = id
                        isNew[k] = new
                    }
                    // Order n: raw counts (its contexts' totals live at index n).
                    let top = Int(current[n]), context = Int(previous[n - 1])
                    count[n][top] += 1
                    total[n][context] += 1
                    if count[n][top] == 1 { nonzero[n][context] += 1 }
                    // Lower orders: a new (k+1)-gram x g gives g one more distinct left neighbour.
                    if kneserNey {
                        for k in stride(from: n - 1, through: 1, by: -1) where isNew[k + 1] {
                            let g = Int(current[k]), c = Int(previous[k - 1])
                            count[k][g] += 1
                            total[k][c] += 1
                            if count[k][g] == 1 { nonzero[k][c] += 1 }
                        }
                    }
                    for k in 0..<n { previous[k] = current[k] }
                }
            }
        }
        var counts: [[Int32]] = [], parents: [[Int32]] = [], lastToken: [[Int32]] = []
        var totals: [[Int32]] = [], distinct: [[Int32]] = []
        for k in 0...n {
            counts.append(buffers[k][0].array(used[k]))
            parents.append(buffers[k][1].array(used[k]))
            lastToken.append(buffers[k][2].array(used[k]))
            // Order k's contexts are the (k−1)-grams (order 0: the root).
            let contexts = k == 0 ? 0 : used[k - 1]
            totals.append(buffers[k][3].array(contexts))
            distinct.append(buffers[k][4].array(contexts))
        }

        // Followers per context (counting sort by parent), for sampling.
        let discount: Double
        if case .kneserNey(let dd) = smoothing { discount = dd } else { discount = 0 }
        var childStart: [[Int32]] = [[]], childToken: [[Int32]] = [[]]
        var childWeight: [[Double]] = [[]], childCumulative: [[Double]] = [[]]
        for k in 1...n {
            let contexts = k == 1 ? 1 : counts[k - 1].count
            var start = [Int32](repeating: 0, count: contexts + 1)
            let used = kneserNey || k == n
            if used { for id in 0..<counts[k].count where counts[k][id] > 0 { start[Int(parents[k][id]) + 1] += 1 } }
            for c in 0..<contexts { start[c + 1] += start[c] }
            var fill = start
            let m = Int(start[contexts])
            var token = [Int32](repeating: 0, count: m), weight = [Double](repeating: 0, count: m)
            if used {
                for id in 0..<counts[k].count where counts[k][id] > 0 {
                    let c = Int(parents[k][id])
                    let j = Int(fill[c])
                    fill[c] += 1
                    token[j] = lastToken[k][id]
                    weight[j] = Double(counts[k][id]) - discount
                }
            }
            var cumulative = weight
            for c in 0..<contexts {
                var s = 0.0
                for j in Int(start[c])..<Int(start[c + 1]) {
                    s += weight[j]
                    cumulative[j] = s
                }
            }
            childStart.append(start)
            childToken.append(token)
            childWeight.append(weight)
            childCumulative.append(cumulative)
        }
        self.tables = tables
        self.counts = counts
        self.totals = totals
        self.distinct = distinct
        self.childStart = childStart
        self.childToken = childToken
        self.childWeight = childWeight
        self.childCumulative = childCumulative
        self.beginIds = beginIds
        self.unigram = []
        self.tailOrder = nil
        self.tempered = nil

        if kneserNey {
            // p₁(w) = max(N₁₊(• w) − D, 0)/N₁₊(• •) + γ₁/|V| (raw counts when n = 1).
            let vp = V + 1
            var p = [Double](repeating: 1 / Double(vp), count: vp)
            let total = Double(totals[1][0])
            if total > 0 {
                let gamma = discount * Double(distinct[1][0]) / total
                for w in 0..<vp { p[w] = gamma / Double(vp) }
                for j in 0..<childToken[1].count {
                    let w = Int(childToken[1][j])
                    p[w] = childWeight[1][j] / total + gamma / Double(vp)
                }
            }
            unigram = p
        }
        if sparseTopK { tailOrder = makeTailOrder() }
        if let temperature, kneserNey {
            let largest = unigram.max()!
            let powered = unigram.map { pow($0 / largest, 1 / temperature) }
            tempered = Tempered(temperature: temperature, largest: largest, powered: powered,
                                total: powered.reduce(0, +), table: WalkerAliasTable(weights: powered)!)
        }
    }

    /// Predicted tokens by their context-free base probability, descending, ties by the
    /// lower index: p₁ for Kneser–Ney, index order for add-α and none (their base is the
    /// same for every token).
    func makeTailOrder() -> [Int32] {
        let all = (0..<predicted).map(Int32.init)
        guard !unigram.isEmpty else { return all }
        let p = unigram
        return all.sorted { p[Int($0)] > p[Int($1)] || (p[Int($0)] == p[Int($1)] && $0 < $1) }
    }

    // MARK: Contexts

    /// A document's running context: contexts[k] is the node of the (k−1)-gram ending
    /// at the last position (k = 1…n; contexts[1] is the root), −1 when never seen.
    public struct Context {
        var nodes: [Int32]
    }

    /// The context at a document's start: ⟨s⟩^(k−1) at every order k.
    public func startContext() -> Context {
        var nodes = [Int32](repeating: 0, count: order + 1)
        for k in 1...order { nodes[k] = beginIds[k - 1] }
        return Context(nodes: nodes)
    }

    /// The context after `w` follows `context`.
    @inline(__always) public func advance(_ context: inout Context, with w: Int32) {
        guard order > 1 else { return }
        for k in stride(from: order, through: 2, by: -1) {
            let parent = context.nodes[k - 1]
            context.nodes[k] = parent < 0 ? -1 : tables[k - 2].find(PackedIdTable.key(parent, w))
        }
    }

    /// The count (order n) or continuation count (below) of context + w at order k.
    @inline(__always) func count(order k: Int, context: Int32, token w: Int32) -> Int32 {
        let id = tables[k - 1].find(PackedIdTable.key(context, w))
        return id < 0 ? 0 : counts[k][Int(id)]
    }

    // MARK: Probabilities

    /// p(w | context), by the recursion in the type's documentation.
    /// - Complexity: O(n) hash lookups.
    public func probability(_ w: Int32, _ context: Context) -> Double {
        let n = order
        switch smoothing {
        case .none:
            let c = context.nodes[n]
            guard c >= 0, totals[n][Int(c)] > 0 else { return 0 }
            return Double(count(order: n, context: c, token: w)) / Double(totals[n][Int(c)])
        case .addAlpha(let alpha):
            let c = context.nodes[n]
            let total = c >= 0 ? Double(totals[n][Int(c)]) : 0
            let hits = c >= 0 ? Double(count(order: n, context: c, token: w)) : 0
            return (hits + alpha) / (total + alpha * Double(predicted))
        case .kneserNey(let discount):
            var p = 1 / Double(predicted)
            for k in 1...n {
                let c = context.nodes[k]
                guard c >= 0 else { break }
                let total = totals[k][Int(c)]
                guard total > 0 else { continue }
                let t = Double(total)
                let hits = Double(count(order: k, context: c, token: w))
                p = max(hits - discount, 0) / t + discount * Double(distinct[k][Int(c)]) / t * p
            }
            return p
        }
    }

    /// The probability of every predicted token after `context`, in index order (the
    /// same values as ``probability(_:_:)`` up to rounding): a dense vector of |V|.
    /// - Complexity: O(|V| + followers of the context at every order).
    public func distribution(_ context: Context) -> [Double] {
        var p = [Double](repeating: 0, count: predicted)
        let n = order
        switch smoothing {
        case .none, .addAlpha:
            let alpha: Double
            if case .addAlpha(let a) = smoothing { alpha = a } else { alpha = 0 }
            let c = context.nodes[n]
            let total = c >= 0 ? Double(totals[n][Int(c)]) : 0
            if total == 0 && alpha == 0 { return p }
            let denominator = total + alpha * Double(predicted)
            for w in 0..<predicted { p[w] = alpha / denominator }
            if c >= 0 {
                for j in Int(childStart[n][Int(c)])..<Int(childStart[n][Int(c) + 1]) {
                    p[Int(childToken[n][j])] = (childWeight[n][j] + alpha) / denominator
                }
            }
        case .kneserNey:
            let scale = levelScales(context)
            for w in 0..<predicted { p[w] = scale[1] * unigram[w] }
            for k in stride(from: 2, through: n, by: 1) where scale[k] > 0 {
                let c = Int(context.nodes[k])
                let t = Double(totals[k][c])
                for j in Int(childStart[k][c])..<Int(childStart[k][c + 1]) {
                    p[Int(childToken[k][j])] += scale[k] * (childWeight[k][j] / t)
                }
            }
        }
        return p
    }

    /// Kneser–Ney: scale[k] = Π_{j > k} γ_j, the weight of order k's discounted term in
    /// p(w | h) = Σ_k scale[k]·a_k(w) (+ the uniform term inside p₁); 0 for an order whose
    /// context has no events (its term is absent).
    func levelScales(_ context: Context) -> [Double] {
        let n = order
        var scale = [Double](repeating: 0, count: n + 1)
        var g = 1.0
        for k in stride(from: n, through: 1, by: -1) {
            let c = context.nodes[k]
            if c >= 0, totals[k][Int(c)] > 0 {
                scale[k] = g
                if k > 1 { g *= discount * Double(distinct[k][Int(c)]) / Double(totals[k][Int(c)]) }
            }
        }
        // p₁ is always present (it holds the uniform base).
        scale[1] = g
        return scale
    }

    /// log p(document ⟨/s⟩ | ⟨s⟩^(n−1)): the sum over its L + 1 events.
    public func logProbability(_ document: ArraySlice<Int32>) -> Double {
        var context = startContext()
        var total = 0.0
        for w in document {
            total += log(probability(w, context))
            advance(&context, with: w)
        }
        return total + log(probability(end, context))
    }

    /// exp of the mean negative log-likelihood per event of `data`: every document's
    /// tokens and its end token count (N = tokens + documents). +∞ when some event has
    /// probability 0 (possible only with `smoothing: none`).
    public func perplexity(of data: DocumentSample) -> Double {
        var total = 0.0
        for d in 0..<data.count {
            total += logProbability(data.document(d))
            if total == -.infinity { return .infinity }
        }
        return exp(-total / Double(data.tokens.count + data.count))
    }
}

/// A zeroed `Int32` buffer of fixed capacity (the fit's scratch), read back as an array.
final class FlatCounts {
    let pointer: UnsafeMutablePointer<Int32>
    let capacity: Int

    init(_ capacity: Int) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit { pointer.deallocate() }

    /// The first `count` values.
    func array(_ count: Int) -> [Int32] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
