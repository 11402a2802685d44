/// k-means++ seeding (Arthur & Vassilvitskii, "k-means++: The Advantages of Careful
/// Seeding", SODA 2007): the first centre is a data point chosen uniformly; each next
/// centre is a data point chosen with probability D(x)²/Σ D², where D(x) is the
/// distance from x to its nearest centre so far.
///
/// Draws exactly one uniform integer (first centre) and then one uniform per further
/// centre. When Σ D² is 0 (every point already coincides with a centre: fewer distinct
/// points than k) or not finite, the uniform picks a point uniformly instead, so the
/// seeding never loops or divides by zero; the repeated centre then ends up empty.
enum KMeansPlusPlus {
    /// Row indices of the k centres in `data` (repeats possible, see above).
    static func centres(_ data: Dataset, k: Int, stream: RandomStream) -> [Int] {
        let n = data.count, d = data.dimension
        var chosen = [stream.uniformIndex(below: n)]
        chosen.reserveCapacity(k)
        var d2 = [Double](repeating: .infinity, count: n)
        data.values.withUnsafeBufferPointer { x in
            d2.withUnsafeMutableBufferPointer { dist in
                func update(_ c: Int) {
                    for i in 0..<n {
                        var s = 0.0
                        for a in 0..<d { let e = x[i * d + a] - x[c * d + a]; s += e * e }
                        if s < dist[i] { dist[i] = s }
                    }
                }
                update(chosen[0])
                while chosen.count < k {
                    var total = 0.0
                    for i in 0..<n { total += dist[i] }
                    let u = stream.uniform()
                    var pick: Int
                    if total > 0 && total.isFinite {
                        let target = u * total
                        var acc = 0.0
                        pick = -1
                        var lastPositive = 0
                        for i in 0..<n where dist[i] > 0 {
                            lastPositive = i
                            acc += dist[i]
                            if acc > target { pick = i; break }
                        }
                        if pick < 0 { pick = lastPositive }
                    } else {
                        pick = min(Int(u * Double(n)), n - 1)
                    }
                    chosen.append(pick)
                    update(pick)
                }
            }
        }
        return chosen
    }

    /// Index of the nearest centre for every point (ties: the lower centre index).
    static func nearest(_ data: Dataset, centres: [Int]) -> [Int] {
        let n = data.count, d = data.dimension
        var label = [Int](repeating: 0, count: n)
        data.values.withUnsafeBufferPointer { x in
            for i in 0..<n {
                var best = Double.infinity
                for (j, c) in centres.enumerated() {
                    var s = 0.0
                    for a in 0..<d { let e = x[i * d + a] - x[c * d + a]; s += e * e }
                    if s < best { best = s; label[i] = j }
                }
            }
        }
        return label
    }
}
