// STUB — being implemented; replace this whole file.
public struct CategoricalFamily: GenerativeFamily {
    public init(probabilities: [Double], smoothing: Double, temperature: Double, topK: Int, topP: Double) {}
    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) {}
    public func drawReal(_ count: Int, truth: Void, stream: RandomStream) -> CategorySample { fatalError("not implemented") }
    public func fit(_ data: CategorySample) {}
    public func diagnose(_ model: Void) -> [ChainEvent.Kind] { [] }
    public func sample(_ model: Void, count: Int, truth: Void, stream: RandomStream) -> CategorySample { fatalError("not implemented") }
    public func measure(_ model: Void, output: CategorySample, truth: Void, requested: Set<MetricName>, into values: inout MetricValues) {}
}
