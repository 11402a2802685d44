/// Parsing of `output:`.
extension ConfigLoader {
    /// `output.snapshots`: a list of generations in 0…G (sorted, duplicates dropped).
    static func parseOutput(_ r: ConfigReader, generations: Int?) -> [Int]? {
        defer { r.finish(allowedKeys: ["snapshots", "collapse", "metrics_file"]) }
        guard let v = r.raw("snapshots") else { return [] }
        let allowed = "a list of generations in 0…\(generations.map(String.init) ?? "G"), e.g. [0, 10, 50, 100]"
        guard case .list(let items) = v else {
            r.fail("snapshots", v.shortDescription, allowed)
            return nil
        }
        var out: Set<Int> = []
        for (i, item) in items.enumerated() {
            let g: Int?
            switch item {
            case .int(let x): g = x
            case .double(let d) where d == d.rounded() && abs(d) < 9e15: g = Int(d)
            default: g = nil
            }
            guard let g, g >= 0, g <= (generations ?? Int.max) else {
                r.fail("snapshots[\(i)]", item.shortDescription, allowed)
                return nil
            }
            out.insert(g)
        }
        return out.sorted()
    }
}
