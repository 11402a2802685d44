import Foundation

/// The threshold statistics of a membership-inference attack: members' and
/// non-members' scores (higher means "member"), turned into the ROC-based measures of
/// issue 16. Every threshold τ classifies "member" when score ≥ τ; the thresholds are
/// the distinct scores (plus +∞, where TPR = FPR = 0), as in scikit-learn's
/// `roc_curve(drop_intermediate=False)`.
///
/// - `auc`: the Mann–Whitney statistic P(S_member > S_non) + ½ P(S_member = S_non)
///   (Hanley & McNeil 1982), equal to scikit-learn's `roc_auc_score`.
/// - `advantage`: max over thresholds of TPR − FPR (Yeom et al. 2018).
/// - `tprAtLowFPR(_:)`: TPR at the largest-TPR threshold whose FPR ≤ α, i.e. the
///   step-function ROC read at α (Carlini et al. 2022, "LiRA").
/// - `epsilonLowerBound`: max over thresholds of ln(TPR_lo / FPR_hi) with one-sided
///   95 % Clopper–Pearson bounds (Jagielski et al. 2020; Nasr et al. 2021), with
///   δ = 0 and the hypothesis-testing bound TPR ≤ e^ε FPR (Kairouz et al. 2015); 0 when
///   no threshold gives a positive bound.
///
/// - Complexity: O((m + n) log(m + n)) to build (one sort of the pooled scores).
public struct MembershipROC: Sendable {
    /// True-positive and false-positive counts at each threshold, from the highest
    /// threshold (+∞: 0, 0) down to the lowest (members, nonMembers).
    public let truePositives: [Int]
    public let falsePositives: [Int]
    public let members: Int
    public let nonMembers: Int
    /// The Mann–Whitney AUC (ties ½).
    public let auc: Double

    /// The ROC of `memberScores` against `nonMemberScores` (NaN scores are ranked
    /// lowest: a candidate the attack cannot score is called a non-member).
    public init(memberScores: [Double], nonMemberScores: [Double]) {
        let m = memberScores.count, n = nonMemberScores.count
        var pooled: [(score: Double, member: Bool)] = []
        pooled.reserveCapacity(m + n)
        for s in memberScores { pooled.append((s.isNaN ? -.infinity : s, true)) }
        for s in nonMemberScores { pooled.append((s.isNaN ? -.infinity : s, false)) }
        pooled.sort { $0.score > $1.score }
        var tp = [0], fp = [0]
        var i = 0
        var area = 0.0  // Σ over tie groups of fpGroup·(tpBefore + tpGroup/2)
        var tpCount = 0, fpCount = 0
        while i < pooled.count {
            var j = i, groupTP = 0, groupFP = 0
            while j < pooled.count && pooled[j].score == pooled[i].score {
                if pooled[j].member { groupTP += 1 } else { groupFP += 1 }
                j += 1
            }
            area += Double(groupFP) * (Double(tpCount) + 0.5 * Double(groupTP))
            tpCount += groupTP
            fpCount += groupFP
            tp.append(tpCount)
            fp.append(fpCount)
            i = j
        }
        truePositives = tp
        falsePositives = fp
        members = m
        nonMembers = n
        auc = m > 0 && n > 0 ? area / (Double(m) * Double(n)) : .nan
    }

    /// max over thresholds of TPR − FPR.
    public var advantage: Double {
        guard members > 0, nonMembers > 0 else { return .nan }
        var best = 0.0
        for k in truePositives.indices {
            best = max(best, Double(truePositives[k]) / Double(members) - Double(falsePositives[k]) / Double(nonMembers))
        }
        return best
    }

    /// TPR at the threshold with the largest TPR among those with FPR ≤ `alpha`.
    public func tprAtLowFPR(_ alpha: Double) -> Double {
        guard members > 0, nonMembers > 0 else { return .nan }
        var best = 0.0
        for k in truePositives.indices where Double(falsePositives[k]) / Double(nonMembers) <= alpha {
            best = max(best, Double(truePositives[k]) / Double(members))
        }
        return best
    }

    /// max over thresholds of ln(TPR_lo / FPR_hi): TPR_lo the one-sided (1 − α) lower
    /// Clopper–Pearson bound Beta⁻¹(α; k, m − k + 1) of k true positives out of m, FPR_hi
    /// the upper bound Beta⁻¹(1 − α; f + 1, n − f) of f false positives out of n (1 when
    /// f = n); 0 when none is positive.
    public func epsilonLowerBound(alpha: Double = 0.05) -> Double {
        guard members > 0, nonMembers > 0 else { return .nan }
        var best = 0.0
        for k in truePositives.indices {
            let tp = truePositives[k], fp = falsePositives[k]
            let forward = log(ClopperPearson.lower(tp, of: members, alpha: alpha))
                - log(ClopperPearson.upper(fp, of: nonMembers, alpha: alpha))
            if forward.isFinite { best = max(best, forward) }
        }
        return best
    }
}

/// One-sided Clopper–Pearson (1934) bounds on a binomial proportion, from GSL's beta
/// quantiles (`gsl_cdf_beta_Pinv`).
public enum ClopperPearson {
    /// The one-sided (1 − α) lower bound of k successes in n: 0 when k = 0, else
    /// Beta⁻¹(α; k, n − k + 1).
    public static func lower(_ k: Int, of n: Int, alpha: Double) -> Double {
        k == 0 ? 0 : Probability.betaQuantile(alpha, Double(k), Double(n - k + 1))
    }

    /// The one-sided (1 − α) upper bound of k successes in n: 1 when k = n, else
    /// Beta⁻¹(1 − α; k + 1, n − k).
    public static func upper(_ k: Int, of n: Int, alpha: Double) -> Double {
        k == n ? 1 : Probability.betaQuantile(1 - alpha, Double(k + 1), Double(n - k))
    }
}
