/// One cell of an experiment: a fully resolved config plus the parameter values that
/// distinguish it from the other cells. Its id is derived from those values only, so
/// a cell keeps its id (and its random streams) when other cells are added.
public struct Cell: Sendable {
    /// The swept parameters of this cell (empty for an experiment without a sweep).
    public let parameters: [String: JSONValue]
    public let config: ExperimentConfig
    /// 64-bit key feeding every chain's ``StreamKey``.
    public let key: UInt64
    /// `key` as 16 hex digits: the `cell` column of the output files.
    public let id: String

    public init(parameters: [String: JSONValue], config: ExperimentConfig) {
        self.parameters = parameters
        self.config = config
        self.key = Hashing.fnv1a64(JSONValue.map(parameters).jsonText(pretty: false))
        self.id = Hashing.hex(key)
    }

    public func streamKey(replicate: Int) -> StreamKey {
        StreamKey(seed: config.seed, cell: key, replicate: UInt64(replicate))
    }
}

/// All chains of one cell, in replicate order.
public struct CellResult: Sendable {
    public let cell: Cell
    public let metrics: [MetricName]
    public var chains: [ChainResult]

    /// The values of `metric` at generation `g`, one per chain that reached it (empty
    /// if the metric was not computed).
    public func values(of metric: MetricName, generation g: Int) -> [Double] {
        guard let k = metrics.firstIndex(of: metric) else { return [] }
        let m = metrics.count
        return chains.compactMap { g < $0.generationCount(metricCount: m) ? $0.values[g * m + k] : nil }
    }

    /// The worst status among the chains.
    public var status: ChainResult.Status { chains.map(\.status).max() ?? .ok }
}
