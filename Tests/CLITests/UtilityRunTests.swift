import Foundation
import Testing

// Issue 17 through the binary: the utility and fairness metrics of a labelled table in
// the chain loop (copula), the `utility:` block, and its config errors.

@Suite(.serialized) struct UtilityRunTests {
    /// A labelled table of 1,500 rows: x1, x2 ~ N(0, 1), group A (40 %) or B, label
    /// yes/no from a logistic model in x1, x2 and the group, y01 the same label as 0/1,
    /// score a numeric target.
    static func table() -> String {
        var state: UInt64 = 17
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        func normal() -> Double { (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform()) }
        var lines = ["x1,x2,group,label,y01,score"]
        for _ in 0..<1500 {
            let x1 = normal(), x2 = normal(), b = uniform() < 0.6
            let eta = 1.5 * x1 - x2 + (b ? 0.8 : 0) - 0.3
            let y = uniform() < 1 / (1 + exp(-eta))
            let score = eta + 0.5 * normal()
            lines.append("\(x1),\(x2),\(b ? "B" : "A"),\(y ? "yes" : "no"),\(y ? 1 : 0),\(score)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func config(real: String = "columns: [x1, x2, group, label], label: label, sensitive: group",
                       family: String = "{ family: copula }", utility: String? = "{ model: logistic, heldout: 500 }",
                       metrics: String, extra: String = "") -> String {
        """
        name: utility
        seed: 5
        replicates: 3
        generations: 3
        samples: 300
        heldout: 400
        model: \(family)
        real: { distribution: table, file: t.csv, \(real) }
        \(utility.map { "utility: \($0)" } ?? "")
        metrics: \(metrics)
        \(extra)

        """
    }

    /// Rows of metrics.csv: (replicate, generation, metric) → value.
    static func values(_ s: Scratch, _ folder: String) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for line in try s.text("\(folder)/metrics.csv").split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            out["\(f[1])/\(f[2])/\(f[3])"] = Double(f[4])!
        }
        return out
    }

    /// The copula's chains give every metric at every generation; the real baseline
    /// (trtr_*, trained on R₀) is the same at every generation of a chain and differs
    /// between chains (each has its own R₀ and held-out rows); `utility_ratio` is
    /// tstr_accuracy / trtr_accuracy; the resolved config records `utility:`.
    @Test func utilityMetricsRunThroughTheCopula() throws {
        try withScratch { s in
            _ = try s.write("t.csv", Self.table())
            let metrics = "[tstr_accuracy, tstr_auc, trtr_accuracy, trtr_auc, utility_ratio, demographic_parity_ratio, equal_opportunity_difference, trtr_demographic_parity_ratio, trtr_equal_opportunity_difference, ks_complement]"
            let run = try s.run(["run", try s.write("u.yaml", Self.config(metrics: metrics)), "--out", s.path("out"), "--quiet"])
            try #require(run.status == 0, "\(run)")
            let v = try Self.values(s, "out")
            #expect(v.count == 3 * 4 * 10)
            let baseline = ["trtr_accuracy", "trtr_auc", "trtr_demographic_parity_ratio", "trtr_equal_opportunity_difference"]
            for r in 0..<3 {
                for m in baseline {
                    let first = try #require(v["\(r)/0/\(m)"])
                    for g in 1...3 { #expect(v["\(r)/\(g)/\(m)"] == first, "replicate \(r), \(m) at generation \(g)") }
                }
                for g in 0...3 {
                    let ratio = v["\(r)/\(g)/tstr_accuracy"]! / v["\(r)/\(g)/trtr_accuracy"]!
                    #expect(abs(v["\(r)/\(g)/utility_ratio"]! - ratio) < 1e-15)
                    for m in ["tstr_accuracy", "tstr_auc", "demographic_parity_ratio", "equal_opportunity_difference"] {
                        let x = v["\(r)/\(g)/\(m)"]!
                        #expect(x >= 0 && x <= 1, "\(m) = \(x)")
                    }
                }
                // The logistic model separates this label well: AUC far above chance.
                #expect(v["\(r)/0/trtr_auc"]! > 0.75 && v["\(r)/0/tstr_auc"]! > 0.7)
            }
            #expect(v["0/0/trtr_accuracy"] != v["1/0/trtr_accuracy"] || v["0/0/trtr_auc"] != v["1/0/trtr_auc"])
            let config = try #require(try s.json("out/manifest.json")["config"] as? [String: Any])
            let utility = try #require(config["utility"] as? [String: Any])
            #expect(utility["model"] as? String == "logistic" && utility["heldout"] as? Int == 500)
        }
    }

    /// `utility.heldout` takes the first rows of the held-out draw, which then holds
    /// max(heldout, utility.heldout) rows; the model is chosen by the label when not
    /// given (a numeric 0/1 label: logistic), and `utility.model` is sweepable over a
    /// label both models fit. Without a utility metric the config (and its hash) has
    /// no `utility` key.
    @Test func utilityBlockDefaultsAndSweeps() throws {
        try withScratch { s in
            _ = try s.write("t.csv", Self.table())
            let real = "columns: [x1, x2, group, y01], label: y01"
            let plain = try s.run(["validate", try s.write("d.yaml", Self.config(real: real, utility: nil, metrics: "[utility_ratio]"))])
            try #require(plain.status == 0, "\(plain)")
            #expect(plain.stdout.contains("utility:\n  heldout: 400\n  min_group: 30\n  model: \"logistic\""), "\(plain.stdout)")
            let none = try s.run(["validate", try s.write("n.yaml", Self.config(real: real, utility: nil, metrics: "[ks_complement]"))])
            #expect(none.status == 0 && !none.stdout.contains("\nutility:"), "\(none)")
            // Not defaults: without `metrics:` the copula computes the table metrics only.
            let defaults = try s.run(["validate", try s.write("m.yaml", Self.config(real: real, utility: nil, metrics: "[ks_complement]")),
                                      "--set", "metrics="])
            #expect(defaults.status == 0 && defaults.stdout.contains("range_coverage") && !defaults.stdout.contains("tstr_")
                    && !defaults.stdout.contains("utility_ratio"), "\(defaults)")
            let sweep = Self.config(real: real, utility: "{ heldout: 600 }", metrics: "[utility_ratio]",
                                    extra: "sweep: { utility.model: [logistic, linear] }")
            let run = try s.run(["run", try s.write("s.yaml", sweep), "--out", s.path("out"), "--quiet"])
            try #require(run.status == 0, "\(run)")
            let summary = try summaryTable(s, "out")
            let cells = Set(summary.keys.map { $0.split(separator: "/")[0] })
            #expect(cells.count == 2)
            for cell in cells { #expect(summary["\(cell)/2/utility_ratio"].map { $0.mean.isFinite && $0.k == 3 } == true) }
        }
    }

    /// Each config fault names its field, the value and what is allowed (exit 2).
    @Test func utilityConfigErrorsAreClear() throws {
        try withScratch { s in
            _ = try s.write("t.csv", Self.table())
            let cases: [(String, String)] = [
                (Self.config(metrics: "[ks_complement]"),
                 "utility: got a block with no utility metric requested; allowed: utility only with one of"),
                (Self.config(real: "columns: [x1, x2, group, label]", utility: nil, metrics: "[tstr_accuracy]"),
                 "metrics[0]: got 'tstr_accuracy'; allowed: a metric this real data supports: tstr_accuracy needs real.label"),
                (Self.config(real: "columns: [x1, x2, group], label: label", utility: nil, metrics: "[tstr_auc]"),
                 "tstr_auc needs real.label (label) among the modelled columns real.columns (x1, x2, group)"),
                (Self.config(real: "columns: [x1, x2, group, label], label: label", utility: nil, metrics: "[demographic_parity_ratio]"),
                 "demographic_parity_ratio needs real.sensitive"),
                (Self.config(real: "columns: [x1, x2, label], label: label, sensitive: group", utility: nil, metrics: "[equal_opportunity_difference]"),
                 "equal_opportunity_difference needs real.sensitive (group) among the modelled columns"),
                (Self.config(real: "columns: [x1, x2, score], label: score", utility: "{ model: logistic }", metrics: "[utility_ratio]"),
                 "utility.model: got 'logistic'; allowed: linear here: logistic needs a binary real.label, and score is numeric with 1500 values"),
                (Self.config(real: "columns: [x1, x2, label], label: label", utility: "{ model: linear }", metrics: "[utility_ratio]"),
                 "utility.model: got 'linear'; allowed: logistic here: linear needs a numeric real.label, and label is categorical"),
                (Self.config(real: "columns: [x1, x2, label], label: label", utility: nil, metrics: "[tstr_r2]"),
                 "tstr_r2 needs a numeric real.label (utility.model linear), and label is categorical"),
                (Self.config(real: "columns: [x1, x2, y01], label: y01", utility: "{ model: logistic }", metrics: "[tstr_r2]"),
                 "metrics: got 'tstr_r2' with utility.model logistic; allowed: tstr_r2 only with utility.model linear"),
                (Self.config(utility: "{ model: svm }", metrics: "[tstr_accuracy]"),
                 "utility.model: got 'svm'; allowed: one of logistic, linear"),
                (Self.config(utility: "{ heldout: 0 }", metrics: "[tstr_accuracy]"),
                 "utility.heldout: got 0; allowed: an integer in 1 … 2147483647"),
                (Self.config(utility: "{ heldout: 1300 }", metrics: "[tstr_accuracy]"),
                 "samples: got a config that needs 1600 rows per chain (samples 300 + utility.heldout 1300); allowed: at most the 1500 rows"),
                (Self.config(utility: "{ model: logistic, folds: 3 }", metrics: "[tstr_accuracy]"),
                 "utility.folds: got an unknown key; allowed: the keys model, heldout"),
                (Self.config(real: "columns: [x1, x2], label: label", family: "{ family: gaussian }", utility: nil, metrics: "[tstr_accuracy]"),
                 "tstr_accuracy needs a family that generates tables on real.distribution: table (model.family copula, or external with data: table); model.family gaussian does not"),
            ]
            for (i, (text, expected)) in cases.enumerated() {
                let run = try s.run(["validate", try s.write("c\(i).yaml", text)])
                #expect(run.status == 2, "case \(i): \(run)")
                #expect(run.stderr.contains(expected), "case \(i): \(run.stderr)")
            }
            // A copula on a distribution has no label to predict.
            let normal = """
            model: { family: copula }
            real: { distribution: normal, mean: [0, 0] }
            metrics: [tstr_accuracy]
            """
            let run = try s.run(["validate", try s.write("normal.yaml", normal)])
            #expect(run.status == 2 && run.stderr.contains("tstr_accuracy needs real.distribution: table with a real.label"), "\(run)")
        }
    }
}
