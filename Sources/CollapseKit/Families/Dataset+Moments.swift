extension Dataset {
    /// The per-coordinate mean and the sample covariance with divisor count − `ddof`
    /// (GSL statistics, one pass per coordinate pair): what the Gaussian family fits and
    /// what Scott's and Silverman's kernels scale.
    func meanAndCovariance(ddof: Int) -> (mean: [Double], covariance: SymmetricMatrix) {
        let d = dimension, n = count
        let mean = (0..<d).map { Statistics.mean(values, stride: d, offset: $0, count: n) }
        var cov = SymmetricMatrix(dimension: d, values: [Double](repeating: 0, count: d * d))
        for i in 0..<d {
            for j in i..<d {
                let c = i == j
                    ? Statistics.variance(values, mean: mean[i], ddof: ddof, stride: d, offset: i, count: n)
                    : Statistics.covariance(values, dimension: d, i: i, j: j, meanI: mean[i],
                                            meanJ: mean[j], ddof: ddof, count: n)
                cov[i, j] = c
                cov[j, i] = c
            }
        }
        return (mean, cov)
    }
}
