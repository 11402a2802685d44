// STUB — being implemented; replace this whole file.
public struct KernelDensityFamily: GenerativeFamily {
    public init(real: RealReference, bandwidth: ModelConfig.Bandwidth, temperature: Double, heldout: Int) {}
    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) {}
    public func drawReal(_ count: Int, truth: Void, stream: RandomStream) -> Dataset { fatalError("not implemented") }
    public func fit(_ data: Dataset) {}
    public func diagnose(_ model: Void) -> [ChainEvent.Kind] { [] }
    public func sample(_ model: Void, count: Int, truth: Void, stream: RandomStream) -> Dataset { fatalError("not implemented") }
    public func measure(_ model: Void, output: Dataset, truth: Void, requested: Set<MetricName>, into values: inout MetricValues) {}
}
