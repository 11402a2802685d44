import Foundation

/// Linear regression retrained on its own labels: the model-collapse setting of
/// Gerstgrasser et al. (2024, "Is Model Collapse Inevitable?", §2) and Dohmatob, Feng &
/// Kempe (2024, "Model Collapse Demystified: The Case of Regression").
///
/// Real data: x ~ N(0, I_d), y = xᵀw* + ε with ε ~ N(0, σ²). The model is ordinary
/// least squares without intercept (``LeastSquares``: SVD, minimum-norm when the design
/// is rank deficient). A fitted ŵ generates y = xᵀŵ + ε with ε ~ N(0, λσ²): the sampling
/// temperature λ scales the label-noise variance, and σ is the true noise level (not
/// the fitted one).
///
/// Each chain's ``Truth`` is drawn in ``makeTruth(requested:stream:)``, in this order:
/// w* ~ N(0, I_d) (only when `real.weights` is not given), then, for `design: fixed`,
/// the design X (n×d, n = `samples`, row by row, i.i.d. N(0, 1) entries).
///
/// Inputs of every batch of m points (real draws and model outputs alike):
/// - `fixed`: row i of the batch is row (i mod n) of X, so every batch of n points is X
///   itself and a batch larger than n (`synthetic_size` > `samples`) wraps around to
///   X's first rows again — the same x within a chain (Kazdan et al. 2024,
///   Gerstgrasser et al. 2024). Only the label noise is drawn, one N(0, 1) per row.
/// - `fresh`: new x ~ N(0, I_d) for every batch; for each row, its d coordinates and
///   then its noise are drawn.
/// The noise is drawn (and multiplied by 0) even when σ = 0, so σ never shifts the
/// stream.
public struct LinearRegressionFamily: GenerativeFamily {
    /// A fitted OLS model.
    public struct Model: Sendable {
        /// ŵ.
        public var weights: [Double]
        /// Numerical rank of the training design.
        public var rank: Int
        /// ‖y − Xŵ‖² on the training set.
        public var residualSumOfSquares: Double
        /// m, the number of training points.
        public var trainingCount: Int
        var events: [ChainEvent.Kind]
    }

    /// One chain's real world: the true weights and, for `design: fixed`, the design.
    public struct Truth: Sendable {
        /// w*.
        public var weights: [Double]
        /// X, n×d (`design: fixed` only).
        public var design: Dataset?
    }

    public let dimension: Int
    /// σ, the real label noise standard deviation.
    public let noiseSD: Double
    /// w* from the config; nil draws w* ~ N(0, I_d) per chain.
    public let weights: [Double]?
    /// `model.design`.
    public enum Design: String, CaseIterable, Sendable {
        /// The same x within a chain (Kazdan et al. 2024; Gerstgrasser et al. 2024).
        case fixed
        /// New x ~ N(0, I) for every batch.
        case fresh
    }

    public let design: Design
    /// λ: model outputs have label noise variance λσ².
    public let temperature: Double
    /// n, the number of rows of a fixed design.
    public let samples: Int

    public init(dimension: Int, noiseSD: Double, weights: [Double]?, design: Design,
                temperature: Double, samples: Int) {
        precondition(dimension >= 1 && samples >= 1 && (weights == nil || weights!.count == dimension))
        self.dimension = dimension
        self.noiseSD = noiseSD
        self.weights = weights
        self.design = design
        self.temperature = temperature
        self.samples = samples
    }

    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) -> Truth {
        let w = weights ?? (0..<dimension).map { _ in stream.standardNormal() }
        guard design == .fixed else { return Truth(weights: w, design: nil) }
        var x = [Double](repeating: 0, count: samples * dimension)
        x.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = stream.standardNormal() }
        }
        return Truth(weights: w, design: Dataset(values: x, dimension: dimension))
    }

    public func drawReal(_ count: Int, truth: Truth, stream: RandomStream) -> RegressionSample {
        draw(count, weights: truth.weights, noiseSD: noiseSD, truth: truth, stream: stream)
    }

    public func fit(_ data: RegressionSample, stream: RandomStream) -> Model {
        let d = dimension, m = data.count
        guard let solution = LeastSquares.solve(x: data.x.values, y: data.y, dimension: d),
              solution.weights.allSatisfy({ $0.isFinite }) else {
            return Model(weights: [Double](repeating: .nan, count: d), rank: 0,
                         residualSumOfSquares: .nan, trainingCount: m, events: [.nonFiniteParameters])
        }
        return Model(weights: solution.weights, rank: solution.rank,
                     residualSumOfSquares: solution.residualSumOfSquares, trainingCount: m,
                     events: solution.rank < d ? [.singularDesign] : [])
    }

    public func diagnose(_ model: Model) -> [ChainEvent.Kind] { model.events }

    public func sample(_ model: Model, count: Int, truth: Truth, stream: RandomStream) -> RegressionSample {
        draw(count, weights: model.weights, noiseSD: temperature.squareRoot() * noiseSD, truth: truth,
             stream: stream)
    }

    /// `count` pairs y = xᵀw + noiseSD·z, z ~ N(0, 1), with x by the design rule.
    private func draw(_ count: Int, weights w: [Double], noiseSD: Double, truth: Truth,
                      stream: RandomStream) -> RegressionSample {
        let d = dimension
        var x = [Double](repeating: 0, count: count * d)
        var y = [Double](repeating: 0, count: count)
        x.withUnsafeMutableBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                w.withUnsafeBufferPointer { wp in
                    for i in 0..<count {
                        let row = i * d
                        if let design = truth.design {
                            let source = (i % samples) * d
                            design.values.withUnsafeBufferPointer { dp in
                                for k in 0..<d { xp[row + k] = dp[source + k] }
                            }
                        } else {
                            for k in 0..<d { xp[row + k] = stream.standardNormal() }
                        }
                        var mean = 0.0
                        for k in 0..<d { mean += xp[row + k] * wp[k] }
                        yp[i] = mean + noiseSD * stream.standardNormal()
                    }
                }
            }
        }
        return RegressionSample(x: Dataset(values: x, dimension: d), y: y)
    }

    /// `test_error` = ‖ŵ − w*‖², the excess test MSE E[(xᵀŵ − xᵀw*)²] for x ~ N(0, I);
    /// `noise_estimate` = σ̂ = √(RSS/(m − d)) of the fit on its own m training points
    /// (NaN when m ≤ d).
    public static func metrics(real: RealDataConfig) -> [Metric<LinearRegressionFamily>] {
        [Metric(.noiseEstimate) { c in
             let dof = c.model.trainingCount - c.family.dimension
             return dof > 0 ? (c.model.residualSumOfSquares / Double(dof)).squareRoot() : .nan
         },
         Metric(.testError, needs: [.model, .truth]) { c in
             var e = 0.0
             for k in 0..<c.family.dimension {
                 let diff = c.model.weights[k] - c.truth.weights[k]
                 e += diff * diff
             }
             return e
         }]
    }
}

/// `model.family: linear_regression` — key `design` (fixed | fresh); real data
/// `linear`; theory ``RegressionTheory``.
public struct LinearRegressionDescriptor: FamilyDescriptor {
    /// d inputs and one label, doubles.
    public func bytesPerPoint(dimension d: Int) -> Int { 8 * (d + 1) }
    public typealias Family = LinearRegressionFamily
    /// The family's parsed `model:` keys.
    public struct Options: FamilyOptions, Equatable {
        public var design: LinearRegressionFamily.Design
        public var jsonEntries: [String: JSONValue] { ["design": .string(design.rawValue)] }
    }

    public init() {}
    public var name: String { "linear_regression" }
    public var keys: [String] { ["design"] }
    public var primaryMetrics: [MetricName] { [.testError, .noiseEstimate] }
    public var realKinds: [String] { ["linear"] }

    public func parse(_ r: ConfigReader) -> (any FamilyOptions)? {
        r.string("design", default: "fixed", oneOf: LinearRegressionFamily.Design.allCases.map(\.rawValue))
            .flatMap(LinearRegressionFamily.Design.init).map { Options(design: $0) }
    }

    public func minimumTrainingSize(dimension d: Int) -> (size: Int, reason: String) {
        (d + 1, "(dimension + 1) to fit \(d) weights by least squares and estimate the noise")
    }

    public func theory(_ config: ExperimentConfig) -> [TheoryCurve] {
        RegressionTheory.curves(config, design: config.model.options(as: Options.self).design)
    }

    public func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner {
        let real = config.real.spec as! LinearRealData
        return ChainRunners.make(LinearRegressionFamily(dimension: real.dimension, noiseSD: real.noiseSD,
                                                        weights: real.weights,
                                                        design: config.model.options(as: Options.self).design,
                                                        temperature: config.sampling.temperature,
                                                        samples: config.samples), config: config)
    }
}
