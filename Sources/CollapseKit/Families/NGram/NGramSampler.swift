import Foundation

/// Generates documents from an ``NGramModel`` token by token, from `⟨s⟩^(n−1)` until
/// the end token or `maxLength` tokens (the document is then cut: it has `maxLength`
/// tokens and no end was drawn), drawing only from the chain's stream.
///
/// At every step the next-token distribution p(· | h) goes through the categorical
/// family's sampling bias (``CategoricalSamplingBias``: temperature, then `top_k`, then
/// `top_p`, in that order, ties by the lower token id). Three paths, which give the same
/// distribution (up to rounding; `NGramTests` checks them against each other):
///
/// - no bias: p is a mixture of each order's discounted followers and the uniform base
///   (interpolated Kneser–Ney: weight 1 − γ_n on order n's max(c − D, 0), γ_n(1 − γ_{n−1})
///   on order n − 1's, …; add-α: c(h •)/(c(h •) + α|V|) on the counts, the rest uniform),
///   so a token costs one uniform per order visited and a binary search among that
///   order's followers — O(n log followers), never O(|V|);
/// - `top_k` = k < |V|/4: only the followers of the context at orders ≥ 2 (where p
///   depends on the context) and the first k tokens of the context-free base order can be
///   among the k most probable, so p is computed for those, the k best kept, and the
///   bias applied to them — O(followers + k·n);
/// - temperature alone (no `top_k`, `top_p` = 1): q ∝ p^(1/T) is computed for the
///   followers at orders ≥ 2; every other token has p = s·p₁(w) (Kneser–Ney; s the
///   product of the higher orders' γ) or the add-α floor, so their total mass is
///   s^(1/T)·(Σ_w p₁(w)^(1/T) − Σ_followers p₁(w)^(1/T)) and one of them is drawn from an
///   alias table over p₁^(1/T), redrawn while it is a follower — O(followers) per token
///   (a tail share below 10⁻⁹ of Σ p₁^(1/T) is treated as 0);
/// - `top_p` without `top_k`: the dense vector ``NGramModel/distribution(_:)`` and
///   ``CategoricalSamplingBias/apply(_:)`` itself — O(|V| log |V|) per token.
public struct NGramSampler {
    public let model: NGramModel
    public let bias: CategoricalSamplingBias
    public let maxLength: Int
    private let sparseTopK: Bool
    private let temperatureOnly: Bool
    /// Scratch for the sparse path: stamp[w] == step when w is a candidate this step.
    private var stamp: [Int32]
    private var value: [Double]
    private var step: Int32 = 0
    private var touched: [Int32] = []
    private var weights: [Double] = []

    public init(model: NGramModel, bias: CategoricalSamplingBias, maxLength: Int) {
        self.model = model
        self.bias = bias
        self.maxLength = maxLength
        sparseTopK = Self.usesSparseTopK(bias: bias, predicted: model.predicted)
        temperatureOnly = Self.usesTemperaturePath(bias: bias)
        precondition(!sparseTopK || model.tailOrder != nil, "a sparse top_k sampler needs the model's tail order")
        if case .kneserNey = model.smoothing, temperatureOnly {
            precondition(model.tempered?.temperature == bias.temperature, "the temperature path needs the model's tempered p₁")
        }
        let scratch = bias.isIdentity ? 0 : model.predicted
        stamp = [Int32](repeating: -1, count: scratch)
        value = [Double](repeating: 0, count: scratch)
    }

    /// True when `top_k` is small enough for the sparse path (the model then needs its
    /// tail order, ``NGramModel/makeTailOrder()``).
    public static func usesSparseTopK(bias: CategoricalSamplingBias, predicted: Int) -> Bool {
        bias.topK > 0 && bias.topK < predicted / 4
    }

    /// True for temperature without truncation (the model then needs its tempered p₁).
    public static func usesTemperaturePath(bias: CategoricalSamplingBias) -> Bool {
        bias.temperature != 1 && bias.topK == 0 && bias.topP >= 1
    }

    /// `count` documents.
    public mutating func sample(_ count: Int, stream: RandomStream) -> DocumentSample {
        var tokens: [Int32] = [], starts = [0]
        starts.reserveCapacity(count + 1)
        for _ in 0..<count {
            var context = model.startContext()
            var length = 0
            while length < maxLength {
                let w = next(context, stream: stream)
                if w == model.end { break }
                tokens.append(w)
                length += 1
                if length < maxLength { model.advance(&context, with: w) }
            }
            starts.append(tokens.count)
        }
        return DocumentSample(tokens: tokens, starts: starts)
    }

    /// One token after `context`.
    public mutating func next(_ context: NGramModel.Context, stream: RandomStream) -> Int32 {
        if bias.isIdentity { return unbiased(context, stream: stream) }
        if sparseTopK { return topK(context, stream: stream) }
        if temperatureOnly { return tempered(context, stream: stream) }
        let q = bias.apply(model.distribution(context))
        return Int32(Self.pick(q, stream: stream))
    }

    // MARK: No bias

    func unbiased(_ context: NGramModel.Context, stream: RandomStream) -> Int32 {
        let m = model, n = m.order
        switch m.smoothing {
        case .none:
            let c = context.nodes[n]
            guard c >= 0, m.totals[n][Int(c)] > 0 else { return m.end }
            return follower(order: n, context: Int(c), stream: stream)
        case .addAlpha(let alpha):
            let c = context.nodes[n]
            if c >= 0 {
                let t = Double(m.totals[n][Int(c)])
                if t > 0 && stream.uniform() * (t + alpha * Double(m.predicted)) < t {
                    return follower(order: n, context: Int(c), stream: stream)
                }
            }
            return Int32(stream.uniformIndex(below: m.predicted))
        case .kneserNey(let discount):
            for k in stride(from: n, through: 1, by: -1) {
                let c = context.nodes[k]
                guard c >= 0 else { continue }
                let total = m.totals[k][Int(c)]
                guard total > 0 else { continue }
                let gamma = discount * Double(m.distinct[k][Int(c)]) / Double(total)
                if gamma < 1 && stream.uniform() >= gamma { return follower(order: k, context: Int(c), stream: stream) }
            }
            return Int32(stream.uniformIndex(below: m.predicted))
        }
    }

    /// A follower of `context` at order k, with probability ∝ its weight: the first j
    /// whose running weight exceeds u·(total weight).
    @inline(__always) func follower(order k: Int, context c: Int, stream: RandomStream) -> Int32 {
        let from = Int(model.childStart[k][c]), to = Int(model.childStart[k][c + 1])
        return model.childCumulative[k].withUnsafeBufferPointer { cumulative in
            let u = stream.uniform() * cumulative[to - 1]
            var lo = from, hi = to - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
            }
            // The first running sum above u ≥ 0 belongs to a follower of positive weight.
            return model.childToken[k][lo]
        }
    }

    // MARK: Top-k

    mutating func topK(_ context: NGramModel.Context, stream: RandomStream) -> Int32 {
        let (tokens, q) = topKDistribution(context)
        return tokens[Self.pick(q, stream: stream)]
    }

    /// The k most probable tokens (by p, ties lower id) in id order, and the biased
    /// distribution q over them (the sparse path's whole next-token distribution).
    public mutating func topKDistribution(_ context: NGramModel.Context) -> (tokens: [Int32], q: [Double]) {
        let m = model, k = bias.topK
        let floor = collectHead(context)
        let base: (Int32) -> Double
        switch floor {
        case .scaled(let s):
            let unigram = m.unigram
            base = { s * unigram[Int($0)] }
        case .constant(let c): base = { _ in c }
        }
        // The k best: the touched tokens and the first k others in base order.
        var best: [(p: Double, w: Int32)] = []
        best.reserveCapacity(k)
        var worst = 0
        func offer(_ p: Double, _ w: Int32) {
            guard p > 0 else { return }
            if best.count < k {
                best.append((p, w))
                if best.count == k { worst = Self.worstIndex(best) }
                return
            }
            let b = best[worst]
            if p > b.p || (p == b.p && w < b.w) {
                best[worst] = (p, w)
                worst = Self.worstIndex(best)
            }
        }
        for w in touched { offer(value[Int(w)], w) }
        var taken = 0
        for w in m.tailOrder! where stamp[Int(w)] != step {
            offer(base(w), w)
            taken += 1
            if taken == k { break }
        }
        best.sort { $0.w < $1.w }
        return (best.map(\.w), bias.apply(best.map(\.p)))
    }

    /// What p is for a token outside the context's followers at orders ≥ 2.
    enum Floor {
        /// Kneser–Ney: s·p₁(w).
        case scaled(Double)
        /// add-α (the floor α/(c(h •) + α|V|)) and none (0).
        case constant(Double)
    }

    /// Starts a step: the followers of the context whose p depends on it go into
    /// `touched`, with p (as ``NGramModel/distribution(_:)`` computes it) in `value`.
    mutating func collectHead(_ context: NGramModel.Context) -> Floor {
        let m = model, n = m.order
        step &+= 1
        if step == Int32.max { step = 0; for i in stamp.indices { stamp[i] = -1 } }
        touched.removeAll(keepingCapacity: true)
        switch m.smoothing {
        case .none, .addAlpha:
            let alpha: Double
            if case .addAlpha(let a) = m.smoothing { alpha = a } else { alpha = 0 }
            let c = context.nodes[n]
            let total = c >= 0 ? Double(m.totals[n][Int(c)]) : 0
            let denominator = total + alpha * Double(m.predicted)
            if c >= 0 {
                for j in Int(m.childStart[n][Int(c)])..<Int(m.childStart[n][Int(c) + 1]) {
                    let w = m.childToken[n][j]
                    stamp[Int(w)] = step
                    value[Int(w)] = (m.childWeight[n][j] + alpha) / denominator
                    touched.append(w)
                }
            }
            return .constant(total == 0 && alpha == 0 ? 0 : alpha / denominator)
        case .kneserNey:
            let scale = m.levelScales(context)
            let unigram = m.unigram
            for level in stride(from: 2, through: n, by: 1) where scale[level] > 0 {
                let c = Int(context.nodes[level])
                let t = Double(m.totals[level][c])
                for j in Int(m.childStart[level][c])..<Int(m.childStart[level][c + 1]) {
                    let w = m.childToken[level][j]
                    if stamp[Int(w)] != step {
                        stamp[Int(w)] = step
                        value[Int(w)] = scale[1] * unigram[Int(w)]
                        touched.append(w)
                    }
                    value[Int(w)] += scale[level] * (m.childWeight[level][j] / t)
                }
            }
            return .scaled(scale[1])
        }
    }

    // MARK: Temperature

    /// One token from q ∝ p^(1/T) (the type's documentation): the followers exactly, the
    /// rest by rejection from the tempered base.
    mutating func tempered(_ context: NGramModel.Context, stream: RandomStream) -> Int32 {
        let m = model, e = 1 / bias.temperature
        let floor = collectHead(context)
        // Everything relative to the largest p (as the categorical bias divides by its max).
        var reference = 0.0
        for w in touched { reference = max(reference, value[Int(w)]) }
        let tailLargest: Double
        switch floor {
        case .scaled(let s): tailLargest = s * m.tempered!.largest
        case .constant(let c): tailLargest = c
        }
        reference = max(reference, tailLargest)
        if weights.count < touched.count { weights = [Double](repeating: 0, count: max(touched.count, 2 * weights.count)) }
        var head = 0.0
        for (i, w) in touched.enumerated() {
            let q = pow(value[Int(w)] / reference, e)
            weights[i] = q
            head += q
        }
        var tail = 0.0
        if touched.count < m.predicted && tailLargest > 0 {
            switch floor {
            case .scaled:
                let t = m.tempered!
                var inHead = 0.0
                for w in touched { inHead += t.powered[Int(w)] }
                let share = t.total - inHead
                if share > 1e-9 * t.total { tail = pow(tailLargest / reference, e) * share }
            case .constant:
                tail = pow(tailLargest / reference, e) * Double(m.predicted - touched.count)
            }
        }
        if touched.isEmpty && tail == 0 { return m.end }  // no distribution (an unseen context, smoothing none)
        let u = stream.uniform() * (head + tail)
        if u < head || tail == 0 {
            var s = 0.0
            for i in 0..<touched.count {
                s += weights[i]
                if u < s { return touched[i] }
            }
            return touched[touched.count - 1]
        }
        while true {
            let w: Int32
            switch floor {
            case .scaled: w = m.tempered!.table.draw(1, stream: stream)[0]
            case .constant: w = Int32(stream.uniformIndex(below: m.predicted))
            }
            if stamp[Int(w)] != step { return w }
        }
    }

    static func worstIndex(_ best: [(p: Double, w: Int32)]) -> Int {
        var i = 0
        for j in 1..<best.count where best[j].p < best[i].p || (best[j].p == best[i].p && best[j].w > best[i].w) { i = j }
        return i
    }

    /// An index drawn with probability ∝ q (one uniform, a linear scan).
    static func pick(_ q: [Double], stream: RandomStream) -> Int {
        let total = q.reduce(0, +)
        let u = stream.uniform() * total
        var s = 0.0
        var last = 0
        for (i, x) in q.enumerated() where x > 0 {
            s += x
            last = i
            if u < s { return i }
        }
        return last
    }
}
