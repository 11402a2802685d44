/// The 192-bit identity of one chain's random stream: (experiment seed, cell key,
/// replicate). Distinct keys always give distinct generator states (see
/// `collapse_rng_set_key` in `CGSL/shim.h`), so no two chains share a stream, and a
/// chain's stream never depends on workers, scheduling order or shard split.
public struct StreamKey: Hashable, Sendable {
    public var seed: UInt64
    public var cell: UInt64
    public var replicate: UInt64

    public init(seed: UInt64, cell: UInt64, replicate: UInt64) {
        self.seed = seed
        self.cell = cell
        self.replicate = replicate
    }
}
