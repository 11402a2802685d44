/// The `distance` membership attack (GAN-Leaks, Chen et al. 2020; TAPAS's
/// ClosestDistance, Houssiau et al. 2022): a candidate's score is minus its Euclidean
/// distance to the nearest point of the generated batch, each coordinate divided by
/// the real data's standard deviation. Higher means "member".
public enum DistanceAttack {
    /// −min over the batch of the scaled distance, for each candidate row.
    public static func scores(candidates: Dataset, batch: Dataset, scale: [Double]) -> [Double] {
        let q = DistanceRows(candidates, scale: scale), r = DistanceRows(batch, scale: scale)
        return NearestNeighbours.squaredDistances(queries: q.numeric, reference: r.numeric, dimension: q.numericWidth)
            .map { -$0.squareRoot() }
    }

    /// The attack's ROC: members R₀, non-members a disjoint real sample.
    public static func roc(members: Dataset, nonMembers: Dataset, batch: Dataset, scale: [Double]) -> MembershipROC {
        MembershipROC(memberScores: scores(candidates: members, batch: batch, scale: scale),
                      nonMemberScores: scores(candidates: nonMembers, batch: batch, scale: scale))
    }
}
