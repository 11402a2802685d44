/// `replace`: generation t trains on generation t − 1's output alone (Shumailov et
/// al. 2024's fully synthetic loop).
public struct ReplacePolicy: TrainingPolicy, PolicyKind {
    public init() {}
    public var kind: String { "replace" }

    public func composition(generation t: Int, generations G: Int, samples n: Int) -> (real: Int, synthetic: Int)? {
        (0, n)
    }

    public func next<A: TrainingAssembler>(generation t: Int, generations G: Int, samples n: Int,
                                           training: inout A.TrainingSet, pool: inout A.TrainingSet?,
                                           assembler: A) {
        training = assembler.synthetic
    }
}
