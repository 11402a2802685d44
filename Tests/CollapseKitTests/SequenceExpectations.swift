import Testing

/// Expects `actual` to have as many elements as `expected` and each to be within
/// `tolerance` of its counterpart: absolute, or with `relative`, times max(1, |expected|).
/// Unlike a bare `zip`, a shorter or empty side fails.
func expectElementwise(_ actual: [Double], _ expected: [Double], within tolerance: Double, relative: Bool = false,
                       _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(label)\(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    for (a, b) in zip(actual, expected) {
        #expect(abs(a - b) < tolerance * (relative ? max(1, abs(b)) : 1), "\(label)\(a) vs \(b)",
                sourceLocation: sourceLocation)
    }
}
