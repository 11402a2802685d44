import CollapseKit
import Foundation

/// The demo's captions: first what happened in this chain at this frame (the numbers
/// are the frame's own), then what to expect, stated as an expectation. A single chain
/// often goes against the average for a while (seed 1's Gaussian variance rises from
/// 1.22 to 4.40 over its first eight generations), so no caption claims a trend that
/// the frame does not show.
extension DemoFrames {
    func caption(_ t: Int) -> [String] {
        kind == .gaussian ? gaussianCaption(t) : categoricalCaption(t)
    }

    /// "Refit t: the variance went up from a to b", and E[σ²_t] over many chains from
    /// the closed form (``Theory/curves(for:)``) where one holds.
    func gaussianCaption(_ t: Int) -> [String] {
        let v = tracked[t], n = config.samples
        let fresh = "\(Int((realFraction * 100).rounded()))% fresh real data"
        if t == 0 {
            return ["Generation 0 is fitted to n = \(n) real points: variance \(NumberFormat.short(v)) (the real one is 1).",
                    realFraction > 0
                        ? "Each next training set holds \(fresh); the rest is the previous model's samples."
                        : "Each next generation is fitted only to the previous model's \(n) samples."]
        }
        let previous = tracked[t - 1]
        let what = v == previous
            ? "Refit \(t): the variance stayed at \(NumberFormat.short(v))"
            : "Refit \(t): the variance went \(v > previous ? "up" : "down") from \(NumberFormat.short(previous)) to \(NumberFormat.short(v))"
        let expected = Theory.curves(for: config).first { $0.metric == .variance }
            .flatMap { t < $0.values.count ? $0.values[t] : nil }
        let average = expected.map { "On average over many chains E[σ²_\(t)] = \(NumberFormat.short($0))" } ?? "On average"
        let shrink = NumberFormat.short(Double(n - 1) / Double(n))
        return ["\(what) (\(Int((v * 100).rounded()))% of the real variance).",
                realFraction > 0
                    ? "\(average); the fresh real data keeps it from draining away."
                    : "\(average): each refit shrinks the variance by (n−1)/n = \(shrink).",
                realFraction > 0
                    ? "One chain wanders around that average."
                    : "One chain wanders around that average, and drifts to 0 in the long run."]
    }

    /// How many categories are lost and which ones this frame's sample dropped, then
    /// why rare ones go first on average.
    func categoricalCaption(_ t: Int) -> [String] {
        let k = config.real.probabilities?.count ?? 0
        let lost = k - Int(tracked[t])
        if realFraction > 0 {
            return ["Missing from this fit: \(lost) of \(k) categories.",
                    "Fresh real data in every training set can bring a missing category back."]
        }
        // Under replace the next model has exactly the categories this sample drew.
        // At t = 0 every category the sample lacks is named (some may be missing from
        // the real draws already); later, those the current model still had.
        let had = t == 0 ? Set(0..<k) : Self.categories(in: snapshots[t - 1])
        let dropped = had.subtracting(Self.categories(in: snapshots[t])).sorted().map { String($0 + 1) }
        let names = dropped.count == 1 ? "category \(dropped[0])" : "categories " + dropped.joined(separator: ", ")
        let them = dropped.count == 1 ? "it" : "them"
        let sample = dropped.isEmpty
            ? (t == 0 ? "Its sample has every category." : "This sample drew every category the model still had.")
            : (t == 0 ? "Its sample has none of \(names) (1 = most common): the next fit lacks \(them)."
                      : "This sample drew none of \(names) (1 = most common): the next fit loses \(them).")
        return [t == 0 ? "Generation 0 counts n = \(config.samples) real draws: \(lost) of \(k) categories drew none."
                       : "Lost for good so far: \(lost) of \(k) categories.",
                sample,
                "On average rare ones go first: category k draws none of n with probability (1 − p_k)^n."]
    }

    /// The categories (0-based) present in a snapshot of category indices.
    static func categories(in snap: Snapshot) -> Set<Int> {
        Set((0..<snap.count).map { Int(snap.values[$0]) })
    }
}
