// STUB — being implemented; replace this whole file.
public struct LinearRegressionFamily: GenerativeFamily {
    public init(dimension: Int, noiseSD: Double, weights: [Double]?, design: ModelConfig.Design, temperature: Double) {}
    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) {}
    public func drawReal(_ count: Int, truth: Void, stream: RandomStream) -> RegressionSample { fatalError("not implemented") }
    public func fit(_ data: RegressionSample) {}
    public func diagnose(_ model: Void) -> [ChainEvent.Kind] { [] }
    public func sample(_ model: Void, count: Int, truth: Void, stream: RandomStream) -> RegressionSample { fatalError("not implemented") }
    public func measure(_ model: Void, output: RegressionSample, truth: Void, requested: Set<MetricName>, into values: inout MetricValues) {}
}
