import Foundation
import Testing

// Issue 16 through the binary: the privacy metrics in the chain loop, `model.dp` for the
// 1-D Gaussian with its zCDP accountant, and their config errors.

/// Summary rows of a results folder: (cell, generation, metric) → (mean, sd, replicates).
func summaryTable(_ s: Scratch, _ folder: String) throws -> [String: (mean: Double, sd: Double, k: Int)] {
    let rows = try s.text("\(folder)/summary.csv").split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    var out: [String: (Double, Double, Int)] = [:]
    for r in rows.dropFirst() { out["\(r[0])/\(r[1])/\(r[2])"] = (Double(r[3])!, Double(r[4]) ?? .nan, Int(r[7])!) }
    return out
}

@Suite(.serialized) struct PrivacyRunTests {
    /// The DP Gaussian's generation-0 mean on N(0, 1) with bounds wide enough that
    /// clipping is negligible: E[μ̂₀²] = 1/n + σ₁²/n², σ₁ = (hi − lo)/√ρ, within 4 SE;
    /// `epsilon_spent` follows the composition rules: constant under replace and mix
    /// fresh, growing every generation under accumulate and mix fixed (ρ adds).
    @Test func dpGaussianMatchesItsNoiseAndTheAccountant() throws {
        try withScratch { s in
            let n = 100, eps = 1.0, delta = 1e-6
            func config(_ policy: String, replicates: Int) -> String {
                """
                name: dp
                seed: 3
                replicates: \(replicates)
                generations: 3
                samples: \(n)
                model: { family: gaussian, dp: { epsilon: \(eps), delta: \(delta), bounds: [-8, 8] } }
                real: { distribution: normal }
                policy: \(policy)
                metrics: [epsilon_spent, mean]

                """
            }
            let run = try s.run(["run", try s.write("r.yaml", config("{ kind: replace }", replicates: 4000)),
                                 "--out", s.path("replace"), "--quiet"])
            try #require(run.status == 0, "\(run)")
            let l = log(1 / delta), rho = pow((l + eps).squareRoot() - l.squareRoot(), 2)
            let sigma1 = 16 / rho.squareRoot()
            let expected = 1 / Double(n) + sigma1 * sigma1 / Double(n * n)
            var squares: [Double] = []
            for line in try s.text("replace/metrics.csv").split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",")
                if f[2] == "0", f[3] == "mean" { squares.append(pow(Double(f[4])!, 2)) }
            }
            let m = squares.reduce(0, +) / Double(squares.count)
            let se = (squares.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(squares.count - 1) / Double(squares.count)).squareRoot()
            #expect(squares.count == 4000 && abs(m - expected) <= 4 * se, "E[μ̂₀²] = \(m) ± \(se), expected \(expected)")

            func spent(_ folder: String) throws -> [Double] {
                let t = try summaryTable(s, folder)
                return (0...3).map { g in t.first { $0.key.hasSuffix("/\(g)/epsilon_spent") }!.value.mean }
            }
            func epsilon(fits: Double) -> Double { fits * rho + 2 * (fits * rho * l).squareRoot() }
            let cases: [(String, String, [Double])] = [
                ("replace", "{ kind: replace }", [1, 1, 1, 1]),
                ("accumulate", "{ kind: accumulate }", [1, 2, 3, 4]),
                ("fixed", "{ kind: mix, real_fraction: 0.5, real_source: fixed }", [1, 2, 3, 4]),
                ("fresh", "{ kind: mix, real_fraction: 0.5, real_source: fresh }", [1, 1, 1, 1]),
            ]
            for (name, policy, fits) in cases {
                if name != "replace" {
                    let r = try s.run(["run", try s.write("\(name).yaml", config(policy, replicates: 2)), "--out", s.path(name), "--quiet"])
                    try #require(r.status == 0, "\(r)")
                }
                let got = try spent(name)
                for (g, f) in fits.enumerated() {
                    #expect(abs(got[g] - epsilon(fits: f)) < 1e-9, "\(name), generation \(g): ε spent \(got[g]), expected \(epsilon(fits: f))")
                }
            }
        }
    }

    /// No attack beats the guarantee (Kairouz et al. 2015: TPR ≤ e^ε·FPR + δ): for DP
    /// fits at ε = 0.5 and 2, every attack's mean `mia_epsilon_lower` over the replicates
    /// stays at or below ε at every generation. The attacks are a sweep over
    /// `privacy.attack`, so this also runs each of them through the loop.
    @Test(arguments: [0.5, 2.0])
    func noAttackBeatsTheDPGuarantee(epsilon: Double) throws {
        try withScratch { s in
            let config = try s.write("a.yaml", """
                name: attacks
                seed: 11
                replicates: 40
                generations: 2
                samples: 100
                heldout: 200
                model: { family: gaussian, dp: { epsilon: \(epsilon), delta: 1e-6, bounds: [-6, 6] } }
                real: { distribution: normal }
                policy: { kind: accumulate }
                metrics: [mia_auc, mia_epsilon_lower]
                sweep: { privacy.attack: [distance, density_ratio, likelihood] }

                """)
            let run = try s.run(["run", config, "--out", s.path("out"), "--quiet"])
            try #require(run.status == 0, "\(run)")
            let rows = try summaryTable(s, "out").filter { $0.key.hasSuffix("/mia_epsilon_lower") }
            #expect(rows.count == 3 * 3)
            for (key, row) in rows { #expect(row.mean <= epsilon, "\(key): mean ε lower bound \(row.mean) > ε = \(epsilon)") }
            // The control: the bound does detect a leak. A memorising KDE (no DP, n = 200,
            // bandwidth 10⁻⁵) gives a mean lower bound of about 3.6 at generation 0, near
            // ln(0.57 / 0.015): the members whose kernel the batch drew, against the
            // Clopper–Pearson ceiling on zero false positives.
            let leaky = try s.write("k.yaml", try s.text("a.yaml")
                .replacingOccurrences(of: "{ family: gaussian, dp: { epsilon: \(epsilon), delta: 1e-6, bounds: [-6, 6] } }",
                                      with: "{ family: kde, bandwidth: 0.00001 }")
                .replacingOccurrences(of: "sweep: { privacy.attack: [distance, density_ratio, likelihood] }", with: "")
                .replacingOccurrences(of: "samples: 100", with: "samples: 200").replacingOccurrences(of: "heldout: 200", with: "heldout: 400"))
            let control = try s.run(["run", leaky, "--out", s.path("kde"), "--quiet"])
            try #require(control.status == 0, "\(control)")
            let bound = try #require(try summaryTable(s, "kde").first { $0.key.hasSuffix("/0/mia_epsilon_lower") }).value.mean
            #expect(bound > max(2, epsilon), "the memorising KDE's mean ε lower bound is only \(bound)")
        }
    }

    /// Sanity: a KDE with a tiny fixed bandwidth memorises R₀, so the distance attack's
    /// AUC at generation 0 is far above ½ (a batch of n draws lands on a given member's
    /// kernel with probability 1 − (1 − 1/n)ⁿ ≈ 0.63, which that member then wins: about
    /// ½ + 0.63/2 ≈ 0.82); a Gaussian fitted to n = 2000 points leaks almost nothing (AUC
    /// within 4 SE of ½).
    @Test func memorisingKDEIsExposedAndALargeGaussianIsNot() throws {
        try withScratch { s in
            func run(_ model: String, samples: Int) throws -> (mean: Double, sd: Double, k: Int) {
                let config = try s.write("\(samples).yaml", """
                    name: mia
                    seed: 2
                    replicates: 10
                    generations: 0
                    samples: \(samples)
                    heldout: \(samples)
                    model: \(model)
                    real: { distribution: normal }
                    metrics: [mia_auc]

                    """)
                let r = try s.run(["run", config, "--out", s.path("out\(samples)"), "--quiet"])
                try #require(r.status == 0, "\(r)")
                return try summaryTable(s, "out\(samples)").first { $0.key.hasSuffix("/0/mia_auc") }!.value
            }
            let kde = try run("{ family: kde, bandwidth: 0.001 }", samples: 300)
            #expect(kde.mean > 0.75, "memorising KDE: AUC \(kde.mean)")
            let gaussian = try run("{ family: gaussian }", samples: 2000)
            #expect(abs(gaussian.mean - 0.5) <= 4 * gaussian.sd / Double(gaussian.k).squareRoot() + 1e-3,
                    "large-n Gaussian: AUC \(gaussian.mean) ± \(gaussian.sd)")
        }
    }

    /// Bad privacy and DP input: exit 2, the field, the value and what is allowed.
    /// `model.dp` on the categorical family: `epsilon_spent` follows the same composition
    /// (ε under replace; growing under accumulate, equal to the Gaussian's accountant), and
    /// its config errors: `bounds` belongs to the Gaussian's mechanism, a budget the run
    /// exceeds names the generation.
    @Test func dpCategoricalSpendsAndRefuses() throws {
        try withScratch { s in
            func config(_ policy: String, dp: String = "{ epsilon: 1, delta: 1e-6 }") -> String {
                """
                name: cdp
                seed: 3
                replicates: 2
                generations: 3
                samples: 200
                model: { family: categorical, dp: \(dp) }
                real: { distribution: zipf, categories: 50 }
                policy: \(policy)
                metrics: [epsilon_spent, tv]

                """
            }
            let l = log(1e6), rho = pow((l + 1).squareRoot() - l.squareRoot(), 2)
            for (name, policy, fits) in [("r", "{ kind: replace }", [1.0, 1, 1, 1]), ("a", "{ kind: accumulate }", [1.0, 2, 3, 4])] {
                let run = try s.run(["run", try s.write("\(name).yaml", config(policy)), "--out", s.path(name), "--quiet"])
                try #require(run.status == 0, "\(run)")
                let t = try summaryTable(s, name)
                for g in 0...3 {
                    let spent = t.first { $0.key.hasSuffix("/\(g)/epsilon_spent") }!.value.mean
                    let expected = fits[g] * rho + 2 * (fits[g] * rho * l).squareRoot()
                    #expect(abs(spent - expected) < 1e-9, "\(name) t = \(g): \(spent) against \(expected)")
                }
            }
            let bounds = try s.run(["run", try s.write("b.yaml", config("{ kind: replace }", dp: "{ epsilon: 1, delta: 1e-6, bounds: [0, 1] }")),
                                    "--out", s.path("b"), "--quiet"])
            #expect(bounds.status == 2 && bounds.stderr.contains("model.dp.bounds: got an unknown key"), "\(bounds.stderr)")
            let budget = try s.run(["run", try s.write("u.yaml", config("{ kind: accumulate }", dp: "{ epsilon: 1, delta: 1e-6, budget: 2 }")),
                                    "--out", s.path("u"), "--quiet"])
            #expect(budget.status == 2 && budget.stderr.contains("model.dp.budget") && budget.stderr.contains("generation 3"), "\(budget.stderr)")
        }
    }

    /// `model.dp` on the copula, through the binary: `epsilon_spent` follows the same
    /// accountant (ε under replace, growing under accumulate), the likelihood attack runs
    /// on a DP model, and its config errors name the field: bounds missing for a numeric
    /// column, bounds for a column that is not numeric, too few bins, a score bound ≤ 0.
    @Test func dpCopulaSpendsAndRefuses() throws {
        try withScratch { s in
            let csv = (0..<300).map { i in "\(Double(i % 37) * 0.5),\(i % 3 == 0 ? "a" : "b"),\(Double((i * 7) % 41))" }
            _ = try s.write("t.csv", "x,g,y\n" + csv.joined(separator: "\n") + "\n")
            func config(_ policy: String, dp: String = "{ epsilon: 1, delta: 1e-6, bounds: { x: [0, 20], y: [0, 40] } }") -> String {
                """
                name: copdp
                seed: 3
                replicates: 2
                generations: 3
                samples: 100
                heldout: 100
                model: { family: copula, dp: \(dp) }
                real: { distribution: table, file: t.csv }
                policy: \(policy)
                privacy: { attack: likelihood }
                metrics: [epsilon_spent, mia_auc, ks_complement]

                """
            }
            let l = log(1e6), rho = pow((l + 1).squareRoot() - l.squareRoot(), 2)
            for (name, policy, fits) in [("r", "{ kind: replace }", [1.0, 1, 1, 1]), ("a", "{ kind: accumulate }", [1.0, 2, 3, 4])] {
                let run = try s.run(["run", try s.write("\(name).yaml", config(policy)), "--out", s.path(name), "--quiet"])
                try #require(run.status == 0, "\(run)")
                let t = try summaryTable(s, name)
                for g in 0...3 {
                    let spent = t.first { $0.key.hasSuffix("/\(g)/epsilon_spent") }!.value.mean
                    let expected = fits[g] * rho + 2 * (fits[g] * rho * l).squareRoot()
                    #expect(abs(spent - expected) < 1e-9, "\(name) t = \(g): \(spent) against \(expected)")
                    let auc = t.first { $0.key.hasSuffix("/\(g)/mia_auc") }!.value.mean
                    #expect(auc >= 0 && auc <= 1)
                }
            }
            // The binary fits generation 0 by the DP release: its histogram on [0, 20]
            // generates x above the data's largest value, 18, which the plain empirical
            // fit never does; never outside the bounds.
            let snapshot = config("{ kind: replace }").replacingOccurrences(of: "metrics: [", with: "output: { snapshots: [0] }\nmetrics: [")
            let run = try s.run(["run", try s.write("s.yaml", snapshot), "--out", s.path("s"), "--quiet"])
            try #require(run.status == 0, "\(run)")
            let xs = try s.text("s/samples.csv").split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[3])! }
            #expect(xs.count == 100 && xs.contains { $0 > 18 } && xs.allSatisfy { $0 >= 0 && $0 <= 20 }, "\(xs.max() ?? .nan)")
            let cases: [(String, String)] = [
                ("{ epsilon: 1, delta: 1e-6 }", "model.dp.bounds: got nothing; allowed: clipping bounds for the numeric columns x, y"),
                ("{ epsilon: 1, delta: 1e-6, bounds: { x: [0, 20], g: [0, 1], y: [0, 1] } }",
                 "model.dp.bounds.g: got a column that is not a modelled numeric column; allowed: the numeric columns x, y"),
                ("{ epsilon: 1, delta: 1e-6, bounds: { x: [0, 20] } }", "model.dp.bounds: got no bounds for y; allowed: [lo, hi] for every numeric column"),
                ("{ epsilon: 1, delta: 1e-6, bounds: { x: [20, 0], y: [0, 1] } }", "model.dp.bounds.x: got [20, 0]; allowed: [lo, hi] with lo < hi"),
                ("{ epsilon: 1, delta: 1e-6, bounds: [0, 40], bins: 1 }", "model.dp.bins: got 1"),
                ("{ epsilon: 1, delta: 1e-6, bounds: [0, 40], score_bound: 0 }", "model.dp.score_bound: got 0; allowed: a number > 0"),
                ("{ epsilon: 1, delta: 1e-6, bounds: [0, 40], budget: 2 }", "model.dp.budget: got 2"),
            ]
            for (i, (dp, expected)) in cases.enumerated() {
                let policy = dp.contains("budget") ? "{ kind: accumulate }" : "{ kind: replace }"
                let run = try s.run(["run", try s.write("bad\(i).yaml", config(policy, dp: dp)), "--out", s.path("bad\(i)")])
                #expect(run.status == 2 && run.stderr.contains(expected), "case \(i): \(run.stderr)")
                #expect(!s.exists("bad\(i)"), "case \(i) wrote a folder")
            }
        }
    }

    @Test func badPrivacyConfigsAreRefused() throws {
        try withScratch { s in
            let base = """
                name: bad
                replicates: 2
                generations: 3
                samples: 100
                model: { family: gaussian, dp: { epsilon: 1, delta: 1e-6, bounds: [-5, 5] } }
                real: { distribution: normal }
                policy: { kind: replace }
                metrics: [mean]

                """
            let cases: [(String, String)] = [
                (base.replacingOccurrences(of: "epsilon: 1,", with: "epsilon: 0,"), "model.dp.epsilon: got 0; allowed: a number > 0"),
                (base.replacingOccurrences(of: "delta: 1e-6", with: "delta: 1.5"), "model.dp.delta: got 1.5; allowed: a number in (0, 1)"),
                (base.replacingOccurrences(of: "bounds: [-5, 5]", with: "bounds: [5, -5]"), "model.dp.bounds: got [5, -5]; allowed: [lo, hi] with lo < hi"),
                (base.replacingOccurrences(of: "family: gaussian,", with: "family: kde,"), "model.dp: got a value with model.family kde; allowed: dp only with model.family gaussian or categorical or copula"),
                (base.replacingOccurrences(of: "bounds: [-5, 5] }", with: "bounds: [-5, 5], budget: 2 }")
                    .replacingOccurrences(of: "kind: replace", with: "kind: accumulate"),
                 "model.dp.budget: got 2; allowed: at least the ε the run spends: generation 3's fit brings the worst-case individual to ε = 2.03"),
                (base + "privacy: { attack: distance }\n", "privacy: got a block with no privacy metric requested; allowed: privacy only with one of"),
                (base.replacingOccurrences(of: "[mean]", with: "[mia_auc]") + "heldout: 50\n",
                 "heldout: got 50; allowed: at least 100 for mia_auc"),
                (base.replacingOccurrences(of: "[mean]", with: "[mia_auc]") + "heldout: 150\nprivacy: { attack: density_ratio }\n",
                 "heldout: got 150; allowed: at least 200 for mia_auc with privacy.attack density_ratio"),
                (base.replacingOccurrences(of: "[mean]", with: "[mia_auc]") + "privacy: { attack: shadow }\n",
                 "privacy.attack: got 'shadow'; allowed: one of distance, density_ratio, likelihood"),
                (base.replacingOccurrences(of: ", dp: { epsilon: 1, delta: 1e-6, bounds: [-5, 5] }", with: "")
                    .replacingOccurrences(of: "[mean]", with: "[epsilon_spent]"),
                 "metrics: got epsilon_spent without model.dp; allowed: epsilon_spent only with model.dp"),
                ("""
                 name: cat
                 samples: 20
                 heldout: 40
                 model: { family: categorical }
                 real: { distribution: zipf, categories: 10 }
                 privacy: { attack: density_ratio }
                 metrics: [mia_auc]
                 """, "privacy.attack: got 'density_ratio' with model.family categorical; allowed: distance or likelihood"),
                ("""
                 name: reg
                 model: { family: linear_regression }
                 real: { distribution: linear, dimension: 2 }
                 metrics: [mia_auc]
                 """, "metrics[0]: got 'mia_auc'"),
            ]
            for (i, (text, expected)) in cases.enumerated() {
                let run = try s.run(["run", try s.write("bad\(i).yaml", text), "--out", s.path("out\(i)")])
                #expect(run.status == 2, "case \(i): \(run)")
                #expect(run.stderr.contains(expected), "case \(i): \(run.stderr)")
                #expect(!s.exists("out\(i)"), "case \(i) wrote a folder")
            }
        }
    }
}
