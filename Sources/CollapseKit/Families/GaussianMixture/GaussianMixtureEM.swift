import Foundation

/// Maximum-likelihood fitting of a k-component Gaussian mixture by expectation–
/// maximisation (Dempster, Laird & Rubin 1977; Bishop, *Pattern Recognition and Machine
/// Learning* §9.2.2), following scikit-learn's `GaussianMixture`:
///
/// 1. Initialisation: k-means++ centres (``KMeansPlusPlus``), every point assigned to
///    its nearest centre, then one M-step on these hard responsibilities.
/// 2. Each iteration: an E-step rᵢⱼ = wⱼN(xᵢ|μⱼ,Σⱼ) / Σₗ wₗN(xᵢ|μₗ,Σₗ) (log-sum-exp),
///    which also gives the mean log-likelihood per point L of the current parameters,
///    then an M-step Nⱼ = Σᵢ rᵢⱼ, wⱼ = Nⱼ/n, μⱼ = Σᵢ rᵢⱼxᵢ/Nⱼ,
///    Σⱼ = Σᵢ rᵢⱼ(xᵢ−μⱼ)(xᵢ−μⱼ)ᵀ/Nⱼ + εI (off-diagonal terms dropped for `diagonal`),
///    ε = `regularization` (sklearn's `reg_covar`).
/// 3. Stop after `max_iterations` iterations, or when L improved by less than
///    `tolerance` since the previous iteration (sklearn's `tol`), or when a component
///    in use has a covariance that is not positive definite (possible only with ε = 0
///    or negligible: the likelihood is unbounded there, so EM stops and keeps it).
///
/// Degenerate data never gives NaN:
/// - a component with Σᵢ rᵢⱼ < 10⁻¹⁰ (no responsibility) is *empty*: weight exactly 0,
///   kept with its previous mean and covariance (at initialisation: its centre and the
///   data's diagonal variance + ε), never sampled and ignored by densities afterwards;
/// - a component is *collapsed* when every diagonal entry of its unregularised
///   covariance is at most max(ε, 10⁻¹²·max(vₐ, mₐ²)) (vₐ, mₐ the data's variance and
///   mean in coordinate a): it sits on (nearly) one point and only the floor keeps it
///   finite.
struct GaussianMixtureEM {
    let options: GaussianMixtureFamily.Options

    struct Result {
        var model: GaussianMixtureModel
        /// Per component: weight 0.
        var empty: [Bool]
        /// Per component: unregularised covariance at the floor.
        var collapsed: [Bool]
        /// EM iterations run (E-step + M-step pairs after initialisation).
        var iterations: Int
        /// Mean log-likelihood per point at the last E-step (−∞ if none ran).
        var logLikelihood: Double
    }

    /// Responsibility below which a component counts as empty.
    static let emptyThreshold = 1e-10

    func fit(_ data: Dataset, stream: RandomStream) -> Result {
        let n = data.count, d = data.dimension, k = options.components
        guard data.values.allSatisfy(\.isFinite) else {
            let nan = [Double](repeating: .nan, count: k * d)
            return Result(model: GaussianMixtureModel(dimension: d, weights: [Double](repeating: 1 / Double(k), count: k),
                                                      means: nan, covariances: [Double](repeating: .nan, count: k * d * d)),
                          empty: [Bool](repeating: false, count: k), collapsed: [Bool](repeating: false, count: k),
                          iterations: 0, logLikelihood: .nan)
        }
        let scale = Scale(data, regularization: options.regularization)

        // Initialisation: hard assignment to the nearest k-means++ centre.
        let centres = KMeansPlusPlus.centres(data, k: k, stream: stream)
        let labels = KMeansPlusPlus.nearest(data, centres: centres)
        var resp = [Double](repeating: 0, count: n * k)
        for i in 0..<n { resp[i * k + labels[i]] = 1 }
        var previousMeans = [Double](repeating: 0, count: k * d)
        for (j, c) in centres.enumerated() {
            for a in 0..<d { previousMeans[j * d + a] = data.values[c * d + a] }
        }
        var previousCovs = [Double]()
        for _ in 0..<k { previousCovs += scale.fallbackCovariance }
        var step = maximize(data, resp: resp, previousMeans: previousMeans, previousCovs: previousCovs, scale: scale)
        var model = step.model

        var iterations = 0
        var previous = -Double.infinity
        var logLikelihood = -Double.infinity
        while iterations < options.maxIterations {
            let inUseSingular = (0..<k).contains { !step.empty[$0] && !model.positiveDefinite[$0] }
            if inUseSingular { break }
            guard let l = expectation(data, model: model, resp: &resp) else { break }
            logLikelihood = l
            iterations += 1
            step = maximize(data, resp: resp, previousMeans: model.means, previousCovs: model.covariances, scale: scale)
            model = step.model
            if l - previous < options.tolerance { break }
            previous = l
        }
        return Result(model: model, empty: step.empty, collapsed: step.collapsed, iterations: iterations,
                      logLikelihood: logLikelihood)
    }

    /// The data's per-coordinate scale, for the fallback covariance and the collapse floor.
    struct Scale {
        let fallbackCovariance: [Double]
        let floor: [Double]

        init(_ data: Dataset, regularization eps: Double) {
            let n = data.count, d = data.dimension
            var fallback = [Double](repeating: 0, count: d * d)
            var floor = [Double](repeating: 0, count: d)
            for a in 0..<d {
                let m = Statistics.mean(data.values, stride: d, offset: a, count: n)
                let v = Statistics.variance(data.values, mean: m, ddof: 0, stride: d, offset: a, count: n)
                fallback[a * d + a] = v + eps
                floor[a] = max(eps, 1e-12 * max(v, m * m))
            }
            fallbackCovariance = fallback
            self.floor = floor
        }
    }

    /// E-step: fills `resp` (n×k) and returns the mean log-likelihood per point of
    /// `model`, or nil when some point has no density under any component.
    func expectation(_ data: Dataset, model: GaussianMixtureModel, resp: inout [Double]) -> Double? {
        let n = data.count, d = data.dimension, k = model.componentCount
        var scratch = [Double](repeating: 0, count: model.scratchSize)
        var total = 0.0
        var ok = true
        data.values.withUnsafeBufferPointer { x in
            resp.withUnsafeMutableBufferPointer { r in
                scratch.withUnsafeMutableBufferPointer { s in
                    for i in 0..<n {
                        let row = r.baseAddress! + i * k
                        model.componentLogTerms(x.baseAddress! + i * d, terms: row, scratch: s.baseAddress!)
                        let lse = GaussianMixtureModel.logSumExp(row, count: k)
                        guard lse.isFinite else { ok = false; return }
                        total += lse
                        for j in 0..<k { row[j] = exp(row[j] - lse) }
                    }
                }
            }
        }
        return ok ? total / Double(n) : nil
    }

    /// M-step from responsibilities (two passes: means, then covariances about them).
    func maximize(_ data: Dataset, resp: [Double], previousMeans: [Double], previousCovs: [Double],
                  scale: Scale) -> (model: GaussianMixtureModel, empty: [Bool], collapsed: [Bool]) {
        let n = data.count, d = data.dimension, k = options.components
        let eps = options.regularization, diagonal = options.covariance == .diagonal
        var mass = [Double](repeating: 0, count: k)
        var means = [Double](repeating: 0, count: k * d)
        var covs = [Double](repeating: 0, count: k * d * d)
        data.values.withUnsafeBufferPointer { x in
            resp.withUnsafeBufferPointer { r in
                for i in 0..<n {
                    for j in 0..<k where r[i * k + j] > 0 {
                        let w = r[i * k + j]
                        mass[j] += w
                        for a in 0..<d { means[j * d + a] += w * x[i * d + a] }
                    }
                }
                for j in 0..<k where mass[j] >= Self.emptyThreshold {
                    for a in 0..<d { means[j * d + a] /= mass[j] }
                }
                means.withUnsafeBufferPointer { mu in
                    covs.withUnsafeMutableBufferPointer { c in
                        var e = [Double](repeating: 0, count: d)
                        for i in 0..<n {
                            for j in 0..<k where r[i * k + j] > 0 && mass[j] >= Self.emptyThreshold {
                                let w = r[i * k + j]
                                for a in 0..<d { e[a] = x[i * d + a] - mu[j * d + a] }
                                let base = j * d * d
                                for a in 0..<d {
                                    if diagonal {
                                        c[base + a * d + a] += w * e[a] * e[a]
                                    } else {
                                        for b in a..<d { c[base + a * d + b] += w * e[a] * e[b] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var empty = [Bool](repeating: false, count: k)
        var collapsed = [Bool](repeating: false, count: k)
        var used = 0.0
        for j in 0..<k {
            let base = j * d * d
            guard mass[j] >= Self.emptyThreshold else {
                empty[j] = true
                for a in 0..<d { means[j * d + a] = previousMeans[j * d + a] }
                for e in 0..<(d * d) { covs[base + e] = previousCovs[base + e] }
                continue
            }
            used += mass[j]
            var atFloor = true
            for a in 0..<d {
                for b in a..<d {
                    let v = covs[base + a * d + b] / mass[j]
                    covs[base + a * d + b] = v
                    covs[base + b * d + a] = v
                }
                if covs[base + a * d + a] > scale.floor[a] { atFloor = false }
                covs[base + a * d + a] += eps
            }
            collapsed[j] = atFloor
        }
        let weights = (0..<k).map { empty[$0] ? 0 : mass[$0] / used }
        return (GaussianMixtureModel(dimension: d, weights: weights, means: means, covariances: covs), empty, collapsed)
    }
}
