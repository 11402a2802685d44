/// `policy.curate.review`: people in the loop. Up to `budget` candidates a generation
/// are reviewed (all of them when `budget` is absent); a reviewer accepts a candidate
/// the verifier would reject with probability `false_accept`, and rejects one it would
/// accept with probability `false_reject`. Candidates beyond the budget pass unchecked.
public struct HumanReview: Equatable, Sendable {
    /// Reviews a generation; nil: every candidate.
    public var budget: Int?
    public var falseAccept: Double
    public var falseReject: Double

    public init(budget: Int?, falseAccept: Double, falseReject: Double) {
        self.budget = budget
        self.falseAccept = falseAccept
        self.falseReject = falseReject
    }

    var jsonValue: JSONValue {
        var map: [String: JSONValue] = ["false_accept": .double(falseAccept), "false_reject": .double(falseReject)]
        if let budget { map["budget"] = .int(budget) }
        return .map(map)
    }

    static func parse(_ r: ConfigReader) -> HumanReview? {
        let budget = r.has("budget")
            ? r.int("budget", range: 0...Int(Int32.max), note: "reviews a generation; leave it out to review every candidate")
            : nil
        let rate = "a probability in [0, 1]"
        let fa = r.double("false_accept", default: 0, allowed: rate) { (0...1).contains($0) }
        let fr = r.double("false_reject", default: 0, allowed: rate) { (0...1).contains($0) }
        r.finish(allowedKeys: ["budget", "false_accept", "false_reject"])
        guard let fa, let fr, !r.has("budget") || budget != nil else { return nil }
        return HumanReview(budget: budget, falseAccept: fa, falseReject: fr)
    }

    /// The reviewers' verdict on one candidate whose true verdict is `good`, counting
    /// the review into `spent`; candidates past the budget pass unchecked.
    func verdict(good: Bool, spent: inout Int, stream: RandomStream) -> Bool {
        if let budget, spent >= budget { return true }
        spent += 1
        let u = stream.uniform()
        return good ? u >= falseReject : u < falseAccept
    }
}
