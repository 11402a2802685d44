import Foundation

extension BenchmarkSuite {
    /// The `privacy.nn` kernels: the distance attack's exact nearest-neighbour search
    /// (``NearestNeighbours``), m = 10⁴ query rows against n = 10⁴ reference rows of
    /// N(0, I_d), one thread, in d = 2, 10 and 64 (`privacy.nn.d2`, `.d10`, `.d64`).
    /// Rate: queries answered per second, the median over the runs.
    /// `benchmarks/nn_vs_sklearn.py` times scikit-learn's `NearestNeighbors` (its default
    /// algorithm, one thread) on points of the same shape.
    static let privacyKernels = ["privacy.nn.d2", "privacy.nn.d10", "privacy.nn.d64"]

    func nearestNeighbours(dimension d: Int) -> BenchmarkResult {
        let m = quick ? 2_000 : 10_000, n = m
        let stream = RandomStream(key: StreamKey(seed: 7, cell: UInt64(d), replicate: 0))
        let queries = (0..<(m * d)).map { _ in stream.standardNormal() }
        let reference = (0..<(n * d)).map { _ in stream.standardNormal() }
        var times: [Double] = []
        var checksum = 0.0
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let distances = NearestNeighbours.squaredDistances(queries: queries, reference: reference, dimension: d)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            checksum += distances[0]
        }
        times.sort()
        precondition(checksum.isFinite)
        return BenchmarkResult(kernel: "privacy.nn.d\(d)",
                               setup: "\(m) queries × \(n) reference rows of N(0, I_\(d)), exact nearest neighbour, one thread",
                               rate: Double(m) / times[times.count / 2], unit: "queries/s", reference: nil, referenceName: nil)
    }
}
