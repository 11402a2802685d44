import Testing
@testable import CollapseKit

/// Streams are keyed by (seed, cell, replicate) through the whole generator state.
struct RandomStreamTests {
    func firstOutputs(_ key: StreamKey, _ algorithm: GeneratorAlgorithm, count: Int = 8) -> [UInt] {
        let s = RandomStream(key: key, algorithm: algorithm)
        return (0..<count).map { _ in s.nextRaw() }
    }

    @Test(arguments: GeneratorAlgorithm.allCases)
    func sameKeySameStream(_ algorithm: GeneratorAlgorithm) {
        let key = StreamKey(seed: 42, cell: 7, replicate: 3)
        #expect(firstOutputs(key, algorithm) == firstOutputs(key, algorithm))
    }

    /// Keys that GSL's 32-bit `gsl_rng_set` would merge (seeds equal mod 2³²) and
    /// keys differing in one word each give different streams.
    @Test(arguments: GeneratorAlgorithm.allCases)
    func distinctKeysDistinctStreams(_ algorithm: GeneratorAlgorithm) {
        let keys = [
            StreamKey(seed: 1, cell: 0, replicate: 0),
            StreamKey(seed: 1 + (1 << 32), cell: 0, replicate: 0),
            StreamKey(seed: 1, cell: 1, replicate: 0),
            StreamKey(seed: 1, cell: 0, replicate: 1),
            StreamKey(seed: 0, cell: 1, replicate: 0),
            StreamKey(seed: 0, cell: 0, replicate: 1),
        ]
        let streams = keys.map { firstOutputs($0, algorithm) }
        #expect(Set(streams.map { $0.description }).count == keys.count)
    }

    /// Across 20 000 replicate streams the first outputs are all distinct.
    @Test func manyReplicatesNeverCollide() {
        var seen = Set<[UInt]>()
        for r in 0..<20_000 { seen.insert(firstOutputs(StreamKey(seed: 5, cell: 9, replicate: UInt64(r)), .mt19937, count: 2)) }
        #expect(seen.count == 20_000)
    }

    /// The keyed state still yields uniform output: mean 1/2 and variance 1/12 of
    /// 200 000 uniforms within 4 SE (SE of the mean √(1/12/n); of the variance
    /// √((1/80 − 1/144)/n)).
    @Test(arguments: GeneratorAlgorithm.allCases)
    func uniformsAreUniform(_ algorithm: GeneratorAlgorithm) {
        let s = RandomStream(key: StreamKey(seed: 3, cell: 1, replicate: 2), algorithm: algorithm)
        let n = 200_000
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n { let u = s.uniform(); sum += u; sumSq += (u - 0.5) * (u - 0.5) }
        let mean = sum / Double(n), variance = sumSq / Double(n)
        #expect(abs(mean - 0.5) < 4 * (1.0 / 12 / Double(n)).squareRoot())
        #expect(abs(variance - 1.0 / 12) < 4 * ((1.0 / 80 - 1.0 / 144) / Double(n)).squareRoot())
    }

    @Test func chooseReturnsDistinctSortedIndices() {
        let s = RandomStream(key: StreamKey(seed: 1, cell: 1, replicate: 1))
        let picked = s.choose(30, from: 100)
        #expect(picked.count == 30 && picked == picked.sorted() && Set(picked).count == 30)
        #expect(picked.allSatisfy { (0..<100).contains($0) })
        #expect(s.choose(5, from: 5) == [0, 1, 2, 3, 4])
    }
}
