/// `mix`: r_t = round(f_t·n) real points — a random subset of R₀ (`fixed`) or new draws
/// (`fresh`) — plus s_t synthetic points, the first of generation t−1's output:
/// s_t = n − r_t, or `synthetic_size` when set (Alemohammad et al. 2024's
/// synthetic-augmentation and fresh-data loops). f_t follows `real_fraction`
/// (``RealFractionSchedule``).
public struct MixPolicy: TrainingPolicy {
    /// `real_source`: a subset of R₀ (`fixed`) or new real draws (`fresh`).
    public enum RealSource: String, CaseIterable, Sendable {
        case fresh, fixed
    }

    public var realFraction: RealFractionSchedule
    public var realSource: RealSource
    public var syntheticSize: Int?

    public init(realFraction: RealFractionSchedule, realSource: RealSource = .fixed, syntheticSize: Int? = nil) {
        self.realFraction = realFraction
        self.realSource = realSource
        self.syntheticSize = syntheticSize
    }

    public var kind: String { "mix" }

    public var jsonEntries: [String: JSONValue] {
        var map: [String: JSONValue] = ["real_fraction": realFraction.jsonValue, "real_source": .string(realSource.rawValue)]
        if let syntheticSize { map["synthetic_size"] = .int(syntheticSize) }
        return map
    }

    public func outputSize(samples n: Int) -> Int { syntheticSize ?? n }

    public func composition(generation t: Int, generations G: Int, samples n: Int) -> (real: Int, synthetic: Int)? {
        let f = realFraction.fraction(generation: t, generations: G)
        let r = Int((f * Double(n)).rounded())
        return (r, syntheticSize ?? (n - r))
    }

    public func syntheticTaken(generation t: Int, generations G: Int, samples n: Int) -> Int {
        composition(generation: t, generations: G, samples: n)!.synthetic
    }

    public var usesInitialRealPoints: Bool { realSource == .fixed }

    public func freshRealCount(generation t: Int, generations G: Int, samples n: Int) -> Int {
        realSource == .fresh ? composition(generation: t, generations: G, samples: n)!.real : 0
    }

    public func next<A: TrainingAssembler>(generation t: Int, generations G: Int, samples n: Int,
                                           training: inout A.TrainingSet, pool: inout A.TrainingSet?,
                                           assembler: A) {
        let r = composition(generation: t, generations: G, samples: n)!.real
        let real = realSource == .fixed ? assembler.initialRealSubset(r) : assembler.freshReal(r)
        training = assembler.merge(real, assembler.synthetic)
    }
}

/// The `mix` kind's keys: `real_fraction` (required), `real_source`, `synthetic_size`.
public struct MixPolicyKind: PolicyKind {
    public init() {}
    public var name: String { "mix" }
    public var keys: [String] { ["real_fraction", "real_source", "synthetic_size"] }

    public func parse(_ r: ConfigReader, generations: Int?) -> (any TrainingPolicy)? {
        let fraction = parseSchedule(r, generations: generations)
        let source = r.string("real_source", default: "fixed", oneOf: MixPolicy.RealSource.allCases.map(\.rawValue))
        let hasSynthetic = r.has("synthetic_size")
        let synthetic = r.int("synthetic_size", default: -1, range: 0...Int(Int32.max))
        guard let fraction, let source = source.flatMap(MixPolicy.RealSource.init), let synthetic else { return nil }
        return MixPolicy(realFraction: fraction, realSource: source, syntheticSize: hasSynthetic ? synthetic : nil)
    }

    func parseSchedule(_ r: ConfigReader, generations: Int?) -> RealFractionSchedule? {
        let allowed = "a number in [0, 1], a list of one such number per generation 1…G, or {from, to}"
        guard let v = r.raw("real_fraction") else {
            r.fail("real_fraction", "nothing", allowed + " (policy.kind mix needs it)")
            return nil
        }
        let inUnit: (Double) -> Bool = { $0 >= 0 && $0 <= 1 }
        switch v {
        case .list:
            guard let list = r.doublesFrom(v, key: "real_fraction", allowed: allowed, valid: inUnit) else { return nil }
            if let generations, list.count != generations {
                r.fail("real_fraction", "a list of \(list.count) values",
                       "exactly one value per generation 1…\(generations) (\(generations) values)")
                return nil
            }
            return .perGeneration(list)
        case .map:
            let ramp = r.child("real_fraction")
            let from = ramp.double("from", allowed: "a number in [0, 1]", valid: inUnit)
            let to = ramp.double("to", allowed: "a number in [0, 1]", valid: inUnit)
            ramp.finish(allowedKeys: ["from", "to"])
            guard let from, let to else { return nil }
            return .ramp(from: from, to: to)
        default:
            return ConfigReader.number(v, field: r.field("real_fraction"), allowed: allowed,
                                       valid: inUnit, sink: r.sinkForNested).map(RealFractionSchedule.constant)
        }
    }
}
