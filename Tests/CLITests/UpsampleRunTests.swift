import Foundation
import Testing

// Issue 17 through the binary: `policy.upsample` of a table's label, with a condition
// on another column, and its config errors against the table's columns and labels.

@Suite(.serialized) struct UpsampleRunTests {
    /// A table with a 10 % positive label: upsampling the positives of group B to half
    /// of each synthetic training set makes the next copula model generate them about
    /// half the time (the copula's categorical marginals are the training frequencies),
    /// within 4 binomial SE, where generation 0 generated them at their real rate.
    @Test func labelUpsamplingReachesItsShare() throws {
        try withScratch { s in
            var csv = "x,group,y\n"
            var state: UInt64 = 42
            func next() -> Double {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Double(state >> 11) / 9_007_199_254_740_992.0
            }
            for i in 0..<4000 {
                let group = i % 2 == 0 ? "A" : "B"
                let y = next() < 0.1 ? 1 : 0
                csv += "\(String(format: "%.4f", next() * 10 + Double(y))),\(group),\(y)\n"
            }
            _ = try s.write("t.csv", csv)
            let n = 1000
            let config = try s.write("u.yaml", """
                name: up
                seed: 4
                replicates: 2
                generations: 1
                samples: \(n)
                model: { family: copula, marginals: empirical }
                real: { distribution: table, file: t.csv, label: y, sensitive: group }
                policy: { kind: replace, upsample: { target: label, value: 1, where: { group: B }, share: 0.5 } }
                metrics: [ks_complement]
                output: { snapshots: [0, 1] }

                """)
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            let lines = csvLines(try s.text("out/samples.csv"))
            #expect(lines.first == "cell,generation,index,value_1,value_2,value_3")
            // Codes: levels by descending frequency, so y = 1 is code 1; group B is code 0
            // or 1 (A and B are equally frequent: ties in label order, A first).
            var share = [0.0, 0.0]
            for line in lines.dropFirst() {
                let f = line.split(separator: ",")
                if f[4] == "1", f[5] == "1" { share[Int(f[1])!] += 1 / Double(n) }
            }
            let se = (0.25 / Double(n)).squareRoot()
            #expect(abs(share[1] - 0.5) <= 4 * se, "generation 1: \(share[1]) of rows are positives of group B")
            #expect(share[0] < 0.1, "generation 0: \(share[0])")

            for (upsample, message) in [
                ("{ target: label, value: 2, share: 0.5 }", "a value of y that occurs in the file: 0, 1"),
                ("{ target: label, value: 1, where: { colour: red }, share: 0.5 }", "one of real.columns"),
                ("{ target: tail, share: 0.5 }", "tail on points"),
            ] {
                let bad = try s.write("bad.yaml", try s.text("u.yaml").replacingOccurrences(
                    of: "{ target: label, value: 1, where: { group: B }, share: 0.5 }", with: upsample))
                let e = try s.run(["run", bad, "--out", s.path("bad"), "--quiet"])
                #expect(e.status == 2 && e.stderr.contains(message), "\(upsample): \(e.stderr)")
            }
        }
    }
}
