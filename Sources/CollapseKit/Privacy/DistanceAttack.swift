/// The `distance` membership attack (GAN-Leaks, Chen et al. 2020; TAPAS's
/// ClosestDistance, Houssiau et al. 2022): a candidate's score is minus its distance to
/// the nearest row of the generated batch (``DistanceRows``: numeric columns divided by
/// the real data's standard deviation, a categorical mismatch counting 1, Euclidean).
/// Higher means "member".
public enum DistanceAttack {
    /// −min over the batch of the distance, for each candidate row.
    public static func scores(candidates: DistanceRows, batch: DistanceRows) -> [Double] {
        candidates.squaredDistances(to: batch).map { -$0.squareRoot() }
    }

    /// −min over the batch of the scaled distance, for each candidate point.
    public static func scores(candidates: Dataset, batch: Dataset, scale: [Double]) -> [Double] {
        scores(candidates: DistanceRows(candidates, scale: scale), batch: DistanceRows(batch, scale: scale))
    }

    /// The attack's ROC: members R₀, non-members a disjoint real sample.
    public static func roc(members: DistanceRows, nonMembers: DistanceRows, batch: DistanceRows) -> MembershipROC {
        MembershipROC(memberScores: scores(candidates: members, batch: batch),
                      nonMemberScores: scores(candidates: nonMembers, batch: batch))
    }

    public static func roc(members: Dataset, nonMembers: Dataset, batch: Dataset, scale: [Double]) -> MembershipROC {
        roc(members: DistanceRows(members, scale: scale), nonMembers: DistanceRows(nonMembers, scale: scale),
            batch: DistanceRows(batch, scale: scale))
    }
}

/// The `likelihood` membership attack (Yeom et al. 2018's loss threshold, for a
/// generator with a density): a candidate's score is its log-density under the fitted
/// model; nil for a family without one.
public enum LikelihoodAttack {
    public static func scores<F: GenerativeFamily>(_ family: F, model: F.Model, candidates: F.Data) -> [Double]? {
        family.logDensity(model, of: candidates)
    }

    /// The attack's ROC in a generation's context: members R₀, non-members the first
    /// `samples` held-out observations; nil for a family without a density.
    static func roc<F: GenerativeFamily>(_ c: MetricContext<F>) -> MembershipROC? {
        guard let m = scores(c.family, model: c.model, candidates: c.initialReal!),
              let o = scores(c.family, model: c.model, candidates: PrivacyMetrics.nonMembers(c)) else { return nil }
        return MembershipROC(memberScores: m, nonMemberScores: o)
    }
}

/// The `density_ratio` membership attack (DOMIAS, van Breugel et al. 2023): a
/// candidate's score is log p̂_syn(x) − log p̂_ref(x), both Gaussian KDEs with Scott's
/// bandwidth (as `scipy.stats.gaussian_kde`), fitted to the generated batch and to a
/// held-out real reference sample. Continuous data only.
public enum DensityRatioAttack {
    public static func scores(candidates: Dataset, batch: Dataset, reference: Dataset, real: RealReference) -> [Double] {
        let kde = KernelDensityFamily(real: real, bandwidth: .scott, temperature: 1)
        let stream = RandomStream(key: StreamKey(seed: 0, cell: 0, replicate: 0))  // the KDE fit draws nothing
        let synthetic = kde.logDensity(kde.fit(batch, stream: stream), of: candidates)!
        let baseline = kde.logDensity(kde.fit(reference, stream: stream), of: candidates)!
        return zip(synthetic, baseline).map { $0 - $1 }
    }
}
