import Foundation
import Testing

// Issue 17 through the binary: `policy.curate` (verifiers, selection, human review),
// its metrics and events, and its config errors.

/// Per-generation (mean, SE) of one metric of a single-cell results folder.
private func curve(_ s: Scratch, _ folder: String, _ metric: String) throws -> [(mean: Double, se: Double)] {
    let rows = try summaryTable(s, folder).filter { $0.key.hasSuffix("/\(metric)") }
    return (0..<rows.count).map { g in
        let r = rows.first { $0.key.hasSuffix("/\(g)/\(metric)") }!.value
        return (r.mean, r.sd / Double(r.k).squareRoot())
    }
}

private func gaussianConfig(replicates: Int, generations: Int, samples: Int, curate: String, metrics: String) -> String {
    """
    name: curate
    seed: 11
    replicates: \(replicates)
    generations: \(generations)
    samples: \(samples)
    model: { family: gaussian }
    real: { distribution: normal, mean: 0, sd: 1 }
    policy: { kind: replace, curate: \(curate) }
    metrics: [\(metrics)]

    """
}

@Suite(.serialized) struct CurationRunTests {
    /// Plausibility with the fixed region |x| ≤ c (level 0.8 of N(0, 1): c = z₀.₉) under
    /// replace: the MLE variance follows σ²ₜ₊₁ = ((n − 1)/n)·Var[N(0, σ²ₜ) truncated to
    /// [−c, c]], Var = σ²(1 − 2αφ(α)/(2Φ(α) − 1)), α = c/σ (Johnson, Kotz & Balakrishnan,
    /// Continuous Univariate Distributions 1, §10.3), σ²₀ = (n − 1)/n; within 4 SE.
    @Test func plausibilityFollowsTheTruncatedNormalRecursion() throws {
        try withScratch { s in
            let n = 5000, G = 5
            let config = try s.write("c.yaml", gaussianConfig(replicates: 100, generations: G, samples: n,
                                                               curate: "{ verifier: plausibility, level: 0.8 }",
                                                               metrics: "variance, curated_fraction, rule_violation_rate"))
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            let c = 1.2815515655446004  // z_0.9
            func phi(_ x: Double) -> Double { exp(-x * x / 2) / (2 * Double.pi).squareRoot() }
            func Phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
            let shrink = Double(n - 1) / Double(n)
            var v = shrink
            var expected: [Double] = [v]
            for _ in 1...G {
                let sigma = v.squareRoot(), a = c / sigma
                v = shrink * v * (1 - 2 * a * phi(a) / (2 * Phi(a) - 1))
                expected.append(v)
            }
            let measured = try curve(s, "out", "variance")
            for g in 0...G {
                #expect(abs(measured[g].mean - expected[g]) <= 4 * measured[g].se,
                        "t = \(g): variance \(measured[g].mean) ± \(measured[g].se), recursion \(expected[g])")
            }
            // Generation t's training set kept its candidates inside the region: the share
            // kept is the model's mass there, 1 − rule_violation_rate of generation t − 1.
            let kept = try curve(s, "out", "curated_fraction"), outside = try curve(s, "out", "rule_violation_rate")
            #expect(kept[0].mean.isNaN)
            #expect(abs(outside[0].mean - 0.2) <= 4 * outside[0].se)
            for g in 1...G {
                let se = (kept[g].se * kept[g].se + outside[g - 1].se * outside[g - 1].se).squareRoot()
                #expect(abs(kept[g].mean - (1 - outside[g - 1].mean)) <= 4 * se + 1e-3, "t = \(g)")
            }
        }
    }

    /// Bradley–Terry with a linear reward r = βx keeps one of K candidates with
    /// probability ∝ exp(βx); as K → ∞ it tilts N(μ, σ²) to N(μ + βσ², σ²) (Ferbach et
    /// al. 2024). At K = 64 the expected selected point is computed here by an independent
    /// Monte Carlo of the selection (SplitMix64 + Box–Muller, 200,000 groups); the
    /// harness's shift of the fitted mean from generation 0 to 1 matches it within 4 SE,
    /// and lies below the K → ∞ limit βσ².
    @Test func bradleyTerryTiltsTheMean() throws {
        let beta = 0.5, K = 64
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / 9_007_199_254_740_992.0
        }
        func normal() -> Double { (-2 * log(1 - next())).squareRoot() * cos(2 * Double.pi * next()) }
        let groups = 200_000
        var sum = 0.0, squares = 0.0
        for _ in 0..<groups {
            var xs = [Double](repeating: 0, count: K), top = -Double.infinity
            for j in 0..<K { xs[j] = normal(); top = max(top, beta * xs[j]) }
            var num = 0.0, den = 0.0
            for x in xs { let w = exp(beta * x - top); num += w * x; den += w }
            let e = num / den  // E[selected | the group]
            sum += e
            squares += e * e
        }
        let finiteK = sum / Double(groups)
        let finiteKSE = ((squares / Double(groups) - finiteK * finiteK) / Double(groups)).squareRoot()
        #expect(finiteK < beta)  // the K → ∞ limit βσ² = 0.5 is approached from below

        try withScratch { s in
            let config = try s.write("bt.yaml", gaussianConfig(replicates: 200, generations: 1, samples: 2000,
                curate: "{ verifier: reward, reward: { kind: linear, beta: \(beta) }, selection: bradley_terry, k: \(K), max_draws: \(K) }",
                metrics: "mean, curated_fraction"))
            let r = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            var shifts: [Double] = []
            var mean0: [String: Double] = [:]
            for line in csvLines(try s.text("out/metrics.csv")).dropFirst() {
                let f = line.split(separator: ",")
                guard f[3] == "mean" else { continue }
                if f[2] == "0" { mean0[String(f[1])] = Double(f[4])! } else { shifts.append(Double(f[4])! - mean0[String(f[1])]!) }
            }
            let m = shifts.reduce(0, +) / Double(shifts.count)
            let se = (shifts.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(shifts.count - 1) / Double(shifts.count)).squareRoot()
            #expect(shifts.count == 200)
            #expect(abs(m - finiteK) <= 4 * (se * se + finiteKSE * finiteKSE).squareRoot(),
                    "shift \(m) ± \(se), finite-K expectation \(finiteK) ± \(finiteKSE)")
            let kept = try curve(s, "out", "curated_fraction")
            #expect(kept[1].mean == 1 / Double(K))
        }
    }

    /// Human review: `false_accept = 1` keeps every candidate, even those the verifier
    /// rejects; `false_reject = 1` rejects every reviewed one, so only the candidates past
    /// the budget are kept (n/(n + budget) of those drawn), and with no budget nothing is
    /// kept: the curation is exhausted and the empty training set stops the chain. Review
    /// counts never exceed the budget.
    @Test func reviewErrorRatesAndBudget() throws {
        try withScratch { s in
            let n = 400
            func run(_ name: String, _ curate: String, metrics: String = "variance, curated_fraction, review_cost") throws -> Invocation {
                try s.run(["run", try s.write("\(name).yaml", gaussianConfig(replicates: 3, generations: 3, samples: n,
                                                                              curate: curate, metrics: metrics)),
                           "--out", s.path(name), "--quiet"])
            }
            // A region nothing passes (|x| ≤ 0.001 has mass 0.0008): false_accept 1 keeps all.
            var r = try run("accept", "{ verifier: rules, rules: { x1: [-0.001, 0.001] }, review: { false_accept: 1 } }")
            try #require(r.status == 0, "\(r)")
            let kept = try curve(s, "accept", "curated_fraction"), cost = try curve(s, "accept", "review_cost")
            for g in 1...3 {
                #expect(kept[g].mean == 1 && kept[g].se == 0)
                #expect(cost[g].mean == Double(n))
            }
            // Everything passes the rules (a huge range); reviewers reject every reviewed one.
            r = try run("budget", "{ verifier: rules, rules: { x1: [-100, 100] }, review: { budget: 100, false_reject: 1 } }")
            try #require(r.status == 0, "\(r)")
            let kept2 = try curve(s, "budget", "curated_fraction"), cost2 = try curve(s, "budget", "review_cost")
            for g in 1...3 {
                #expect(abs(kept2[g].mean - Double(n) / Double(n + 100)) < 1e-12)
                #expect(cost2[g].mean == 100)
            }
            // No budget: every candidate is reviewed and rejected.
            r = try run("none", "{ verifier: rules, rules: { x1: [-100, 100] }, review: { false_reject: 1 }, max_draws: 3 }")
            try #require(r.status == 0, "\(r)")
            let events = csvLines(try s.text("none/events.csv")).dropFirst().map { $0.split(separator: ",").map(String.init) }
            #expect(Set(events.map { "\($0[2]):\($0[3])" }) == ["1:curation_exhausted", "1:empty_training_set"])
            let cost3 = try curve(s, "none", "review_cost")
            #expect(cost3.count == 1)  // the chains stopped before generation 1
        }
    }

    /// Bad curation configs name the field, the value and what is allowed, and exit 2.
    @Test func badCurationConfigsAreRefused() throws {
        try withScratch { s in
            let cases: [(String, String, String)] = [
                ("{ verifier: reward, reward: { kind: linear, beta: 1 } }", "reward.kind", "selection: bradley_terry"),
                ("{ verifier: plausibility, selection: bradley_terry }", "selection", "only with verifier: reward"),
                ("{ verifier: rules, rules: { age: [1, 2] } }", "rules.age", "one of x1"),
                ("{ verifier: magic }", "verifier", "one of reward, plausibility, rules"),
                ("{ verifier: reward, reward: { kind: quadratic, gamma: 1, center: [0, 1] } }", "policy.curate", "one number"),
                ("{ verifier: reward, reward: { kind: linear, beta: 1 }, selection: bradley_terry, k: 50 }", "k", "at most max_draws"),
            ]
            for (i, (curate, field, allowed)) in cases.enumerated() {
                let r = try s.run(["run", try s.write("bad\(i).yaml", gaussianConfig(replicates: 2, generations: 2, samples: 50,
                                                                                    curate: curate, metrics: "variance")),
                                   "--out", s.path("bad\(i)"), "--quiet"])
                #expect(r.status == 2 && r.stderr.contains(field) && r.stderr.contains(allowed), "\(curate): \(r.stderr)")
                #expect(!FileManager.default.fileExists(atPath: s.path("bad\(i)")))
            }
        }
    }

    /// Plausibility on a non-normal distribution (the log-density threshold estimated
    /// from 200,000 draws): a KDE with bandwidth 0.001 generates nearly the real sample,
    /// so the share of its output outside Student-t(3)'s 90 % highest-density region is
    /// 0.1, within 4 SE plus the threshold's own Monte Carlo error (±0.002).
    @Test func plausibilityRegionOfAStudentT() throws {
        try withScratch { s in
            let text = """
                name: t
                seed: 5
                replicates: 40
                generations: 1
                samples: 2000
                model: { family: kde, bandwidth: 0.001 }
                real: { distribution: student_t, dof: 3, location: 0.0, scale: 1.0 }
                policy: { kind: replace, curate: { verifier: plausibility, level: 0.9 } }
                metrics: [rule_violation_rate]

                """
            let r = try s.run(["run", try s.write("t.yaml", text), "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            let outside = try curve(s, "out", "rule_violation_rate")[0]
            #expect(abs(outside.mean - 0.1) <= 4 * outside.se + 0.002, "\(outside.mean) ± \(outside.se)")
        }
    }

    /// Rules on a table: `rule_violation_rate` at t = 0 equals the share of replicate 0's
    /// generated rows (its snapshot) outside x ∈ [−1, 1] or with group C, counted here;
    /// and a sweep with a cell without curation (which runs on exact statistics where
    /// the others run on points) is rebuilt by `collapse report`.
    @Test func rulesOnATableAndAMixedSamplerSweep() throws {
        try withScratch { s in
            var csv = "x,group\n"
            var state: UInt64 = 11
            for i in 0..<3000 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let x: Double = Double(state >> 11) / 9_007_199_254_740_992.0 * 4 - 2
                let group = ["A", "B", "C"][i % 3]
                csv += String(format: "%.4f", x) + "," + group + "\n"
            }
            _ = try s.write("t.csv", csv)
            let text = """
                name: rules
                seed: 2
                replicates: 2
                generations: 2
                samples: 600
                model: { family: copula, marginals: empirical }
                real: { distribution: table, file: t.csv }
                policy: { kind: replace, curate: { verifier: rules, rules: { x: [-1, 1], group: [A, B] } } }
                metrics: [rule_violation_rate, curated_fraction]
                output: { snapshots: [0] }

                """
            let r = try s.run(["run", try s.write("r.yaml", text), "--out", s.path("out"), "--quiet"])
            try #require(r.status == 0, "\(r)")
            // Codes of group: levels by frequency, ties in label order: A 0, B 1, C 2.
            let rows: [[Substring]] = csvLines(try s.text("out/samples.csv")).dropFirst().map { $0.split(separator: ",") }
            var bad = 0
            for row in rows {
                let x = Double(row[3])!
                if abs(x) > 1 || row[4] == "2" { bad += 1 }
            }
            var measured = Double.nan
            for line in csvLines(try s.text("out/metrics.csv")).dropFirst() {
                let f = line.split(separator: ",")
                if f[1] == "0", f[2] == "0", f[3] == "rule_violation_rate" { measured = Double(f[4])! }
            }
            #expect(rows.count == 600 && bad > 0 && measured == Double(bad) / 600, "\(measured) against \(bad)/600")

            let gaussian = """
                name: mixed
                seed: 2
                replicates: 2
                generations: 2
                samples: 100
                model: { family: gaussian }
                real: { distribution: normal }
                policy: { kind: replace }
                metrics: [variance, curated_fraction]
                sweep:
                  policy.curate: [null, { verifier: plausibility, level: 0.9 }]

                """
            let run = try s.run(["run", try s.write("m.yaml", gaussian), "--out", s.path("mixed"), "--quiet"])
            try #require(run.status == 0, "\(run)")
            let report = try s.run(["report", s.path("mixed")])
            #expect(report.status == 0, "\(report)")
        }
    }
}
