import Foundation

/// `policy.curate`: keep only the synthetic candidates a verifier (or reviewers) accept,
/// drawing more from the model until the synthetic part of the training set has its
/// full count or `max_draws` × that count have been drawn (then the chain records
/// `curation_exhausted` and trains on what passed).
///
/// Selection (Ferbach et al. 2024, "Self-consuming generative models with curated
/// data provably optimize human preferences"; Feng et al. 2024, "Beyond model collapse:
/// scaling up with synthesized data requires verification"):
/// - `rejection`: a candidate x is kept with probability exp(r(x) − r_max) for a
///   reward, or when it is inside the region for `plausibility` and `rules`;
/// - `bradley_terry`: from each group of `k` candidates one is kept, x with probability
///   exp(r(x)) / Σ exp(r) over the group. For a linear reward r = βᵀx on N(μ, σ²) this
///   tilts the model to N(μ + βσ², σ²) as k → ∞.
///
/// With `review`, reviewers (``HumanReview``) judge the candidates instead of the
/// verifier, which then only says which candidates are truly good.
public struct CurateStep: TrainingStep, Equatable {
    public enum Selection: String, CaseIterable, Sendable {
        case rejection
        case bradleyTerry = "bradley_terry"
    }

    public var verifier: Verifier
    public var selection: Selection
    /// Group size (bradley_terry).
    public var k: Int
    public var maxDraws: Int
    public var review: HumanReview?
    /// The verifier bound to the run's real data (``bind(_:)``).
    var bound: BoundVerifier?

    public var key: String { "curate" }

    public var jsonValue: JSONValue {
        var map = verifier.jsonEntries
        map["verifier"] = .string(verifier.name)
        map["selection"] = .string(selection.rawValue)
        if selection == .bradleyTerry { map["k"] = .int(k) }
        map["max_draws"] = .int(maxDraws)
        if let review { map["review"] = review.jsonValue }
        return .map(map)
    }

    public static func == (a: CurateStep, b: CurateStep) -> Bool { a.jsonValue == b.jsonValue }

    public var region: RowTest? { bound?.region }

    public func bind(_ binding: StepBinding) -> Result<any TrainingStep, ConfigError> {
        switch BoundVerifier.bind(verifier, to: binding, field: "policy.curate") {
        case .failure(let e): return .failure(e)
        case .success(let b):
            var copy = self
            copy.bound = b
            return .success(copy)
        }
    }

    public func apply<Hooks: ModelHooks>(_ synthetic: Hooks.Data, target: Int, hooks: Hooks) -> Hooks.Data {
        guard let bound, target > 0 else { return synthetic }
        switch selection {
        case .rejection: return rejection(synthetic, target: target, bound: bound, hooks: hooks)
        case .bradleyTerry: return bradleyTerry(synthetic, target: target, bound: bound, hooks: hooks)
        }
    }

    private func rejection<Hooks: ModelHooks>(_ synthetic: Hooks.Data, target: Int, bound: BoundVerifier,
                                              hooks: Hooks) -> Hooks.Data {
        let stream = hooks.stream
        var reviews = 0
        var keptSoFar = 0
        let draws = CandidateDraws(first: synthetic, batch: target, cap: maxDraws * target, hooks: hooks) { view, room in
            let inside = bound.region?(view)
            let rewards = bound.reward?(view)
            var keep: [Int] = []
            var looked = 0
            for i in 0..<min(view.count, room) where keptSoFar < target {
                looked += 1
                var good: Bool
                if let inside { good = inside[i] } else { good = stream.uniform() < exp(rewards![i] - bound.rewardMax!) }
                if let review { good = review.verdict(good: good, spent: &reviews, stream: stream) }
                if good {
                    keep.append(i)
                    keptSoFar += 1
                }
            }
            return (keep, looked, keptSoFar == target)
        }
        if !draws.satisfied { hooks.record(.curationExhausted) }
        hooks.report(.curatedFraction, draws.examined == 0 ? .nan : Double(draws.keptCount) / Double(draws.examined))
        hooks.report(.reviewCost, Double(reviews))
        return draws.result(empty: synthetic.prefix(0))
    }

    private func bradleyTerry<Hooks: ModelHooks>(_ synthetic: Hooks.Data, target: Int, bound: BoundVerifier,
                                                 hooks: Hooks) -> Hooks.Data {
        let stream = hooks.stream
        let candidates = k > 1 ? Hooks.Data.concatenate([synthetic, hooks.draw((k - 1) * target)]) : synthetic
        guard let view = StepPoints(candidates) else { preconditionFailure("a policy step on data it cannot judge") }
        let r = bound.reward!(view)
        var chosen: [Int] = []
        chosen.reserveCapacity(target)
        var weights = [Double](repeating: 0, count: k)
        for g in 0..<target {
            let base = g * k
            var top = -Double.infinity
            for j in 0..<k { top = max(top, r[base + j]) }
            var total = 0.0
            for j in 0..<k { weights[j] = exp(r[base + j] - top); total += weights[j] }
            var u = stream.uniform() * total
            var pick = k - 1
            for j in 0..<k {
                u -= weights[j]
                if u < 0 { pick = j; break }
            }
            chosen.append(base + pick)
        }
        hooks.report(.curatedFraction, 1 / Double(k))
        hooks.report(.reviewCost, 0)
        return candidates.rows(chosen)
    }
}

/// `policy.curate`'s parser.
public struct CurateStepKind: TrainingStepKind {
    public init() {}
    public var key: String { "curate" }

    public func parse(_ r: ConfigReader) -> (any TrainingStep)? {
        let verifier = Verifier.parse(r)
        let selection = r.string("selection", default: "rejection", oneOf: CurateStep.Selection.allCases.map(\.rawValue))
            .flatMap(CurateStep.Selection.init)
        let bt = selection == .bradleyTerry
        if !bt, r.has("k") { r.fail("k", "a value with selection \(selection?.rawValue ?? "?")", "k only with selection: bradley_terry") }
        let k = bt ? r.int("k", default: 4, range: 1...1_000_000, note: "candidates per kept point") : 1
        let maxDraws = r.int("max_draws", default: 20, range: 1...1_000_000,
                             note: "the cap on candidates, as a multiple of the synthetic count")
        let review = r.has("review") ? HumanReview.parse(r.child("review")) : nil
        r.finish(allowedKeys: ["verifier", "reward", "level", "rules", "selection", "k", "max_draws", "review"])
        guard let verifier, let selection, let k, let maxDraws, !r.has("review") || review != nil else { return nil }
        if bt {
            guard case .reward = verifier else {
                r.fail("selection", "bradley_terry with verifier \(verifier.name)", "bradley_terry only with verifier: reward (it weighs candidates by exp(r))")
                return nil
            }
            if review != nil {
                r.fail("review", "a review with selection bradley_terry", "review only with selection: rejection")
                return nil
            }
            if k > maxDraws {
                r.fail("k", String(k), "at most max_draws (\(maxDraws)): bradley_terry draws k candidates per kept point")
                return nil
            }
        } else if case .reward(.linear) = verifier {
            r.fail("reward.kind", "linear with selection rejection", "quadratic (bounded above), or selection: bradley_terry for a linear reward")
            return nil
        }
        return CurateStep(verifier: verifier, selection: selection, k: k, maxDraws: maxDraws, review: review)
    }
}
