/// How generation t's training set is assembled from real data and what earlier
/// generations generated. Generation 0 is always fitted to `samples` real points R₀;
/// every generation's model generates an output batch of ``outputSize(samples:)``
/// points, and for t ≥ 1:
///
/// - `replace`: the output of generation t−1 (Shumailov et al. 2024).
/// - `accumulate`: R₀ plus every output so far, (t+1)·n points
///   (Gerstgrasser et al. 2024).
/// - `accumulate_subsample`: n points drawn without replacement from that pool
///   (Kazdan et al. 2024, fixed compute budget).
/// - `mix`: r_t = round(f_t·n) real points — a random subset of R₀ (`fixed`) or new
///   draws (`fresh`) — plus s_t synthetic points from generation t−1's output:
///   s_t = n − r_t, or `synthetic_size` when set (Alemohammad et al. 2024's
///   synthetic-augmentation and fresh-data loops).
public struct TrainingPolicy: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case replace, accumulate
        case accumulateSubsample = "accumulate_subsample"
        case mix
    }

    public enum RealSource: String, CaseIterable, Sendable {
        case fresh, fixed
    }

    public var kind: Kind
    /// Only for `mix`.
    public var realFraction: RealFractionSchedule
    public var realSource: RealSource
    public var syntheticSize: Int?

    public init(kind: Kind, realFraction: RealFractionSchedule = .constant(0),
                realSource: RealSource = .fixed, syntheticSize: Int? = nil) {
        self.kind = kind
        self.realFraction = realFraction
        self.realSource = realSource
        self.syntheticSize = syntheticSize
    }

    /// True when every earlier output must be kept (the accumulating policies).
    public var keepsAllOutputs: Bool { kind == .accumulate || kind == .accumulateSubsample }

    /// Points each generation's model generates.
    public func outputSize(samples n: Int) -> Int {
        kind == .mix ? (syntheticSize ?? n) : n
    }

    /// (real, synthetic) counts of generation t's training set, t ≥ 1; nil for
    /// `accumulate_subsample`, whose split is random.
    public func composition(generation t: Int, generations G: Int, samples n: Int) -> (real: Int, synthetic: Int)? {
        switch kind {
        case .replace: return (0, n)
        case .accumulate: return (n, t * n)
        case .accumulateSubsample: return nil
        case .mix:
            let f = realFraction.fraction(generation: t, generations: G)
            let r = Int((f * Double(n)).rounded())
            return (r, syntheticSize ?? (n - r))
        }
    }

    /// Size of generation t's training set (t ≥ 1).
    public func trainingSize(generation t: Int, generations G: Int, samples n: Int) -> Int {
        guard let c = composition(generation: t, generations: G, samples: n) else { return n }
        return c.real + c.synthetic
    }

    /// Generation t's training set (t ≥ 1).
    /// - Parameters:
    ///   - initialReal: R₀, the generation-0 real sample.
    ///   - outputs: outputs of generations 0…t−1 when ``keepsAllOutputs``, else at least
    ///     the last one.
    ///   - drawReal: new real points (for `mix` with `fresh`).
    public func trainingSet<Data: TrainingData>(
        generation t: Int, generations G: Int, samples n: Int,
        initialReal: Data, outputs: [Data],
        drawReal: (Int) -> Data, stream: RandomStream) -> Data {
        switch kind {
        case .replace:
            return outputs.last!
        case .accumulate:
            return Data.concatenate([initialReal] + outputs)
        case .accumulateSubsample:
            let pool = Data.concatenate([initialReal] + outputs)
            return pool.rows(stream.choose(n, from: pool.count))
        case .mix:
            let (r, s) = composition(generation: t, generations: G, samples: n)!
            let real: Data
            switch realSource {
            case .fixed: real = initialReal.rows(stream.choose(r, from: initialReal.count))
            case .fresh: real = drawReal(r)
            }
            return Data.concatenate([real, outputs.last!.prefix(s)])
        }
    }
}
