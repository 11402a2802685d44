/// `output.collapse`: a threshold on one metric that marks a chain as collapsed. The
/// first generation at which a chain's value is below `below` (or above `above`, for a
/// metric that grows) is recorded as its `threshold_crossed` event, so collapse times
/// can be read off `events.csv` and the report's survival curve, where the exact-zero
/// events (`variance_collapsed`) come only at the limit of double precision.
public struct CollapseThreshold: Equatable, Sendable {
    public enum Direction: String, Sendable { case below, above }

    public var metric: MetricName
    public var direction: Direction
    public var value: Double

    public init(metric: MetricName, direction: Direction, value: Double) {
        self.metric = metric
        self.direction = direction
        self.value = value
    }

    /// True when `x` is past the threshold (NaN never is).
    public func isCrossed(by x: Double) -> Bool {
        direction == .below ? x < value : x > value
    }

    /// "variance_ratio below 0.01", for captions.
    public var description: String { "\(metric.rawValue) \(direction.rawValue) \(NumberFormat.double(value))" }

    var jsonValue: JSONValue { .map(["metric": .string(metric.rawValue), direction.rawValue: .double(value)]) }
}

extension ConfigLoader {
    /// `output.collapse: {metric, below | above}`, unchecked against `metrics:` (done
    /// once the metrics are known, by ``checkCollapseMetric(_:metrics:reader:)``).
    static func parseCollapse(_ r: ConfigReader) -> (threshold: CollapseThreshold?, ok: Bool) {
        guard r.has("collapse") else { return (nil, true) }
        let c = r.child("collapse")
        let name = c.string("metric", oneOf: MetricName.allCases.map(\.rawValue))
        let hasBelow = c.has("below"), hasAbove = c.has("above")
        let below = c.double("below", default: 0, allowed: "a finite number")
        let above = c.double("above", default: 0, allowed: "a finite number")
        c.finish(allowedKeys: ["metric", "below", "above"])
        guard hasBelow != hasAbove else {
            c.fail(hasBelow ? "above" : "below", hasBelow ? "both below and above" : "neither below nor above",
                   "exactly one of below (the chain has collapsed once the metric falls under it) or above (once it exceeds it)")
            return (nil, false)
        }
        guard let name, let metric = MetricName(rawValue: name), let below, let above else { return (nil, false) }
        return (CollapseThreshold(metric: metric, direction: hasBelow ? .below : .above, value: hasBelow ? below : above), true)
    }

    /// The threshold's metric must be one the run computes.
    static func checkCollapseMetric(_ threshold: CollapseThreshold, metrics: [MetricName], reader: ConfigReader) {
        guard !metrics.contains(threshold.metric) else { return }
        reader.fail("output.collapse.metric", "'\(threshold.metric.rawValue)'",
                    "one of the metrics this run computes (\(metrics.map(\.rawValue).joined(separator: ", ")))")
    }
}
