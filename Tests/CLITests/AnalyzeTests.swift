import Foundation
import Testing

// `collapse analyze exchange-rate DIR`, end to end: on a folder written by `collapse run`
// whose metrics.csv is replaced by utilities with a known rate, the CSV's header and
// values; --parity against the folder's own summary.csv; the refusals and their exit codes.

@Suite struct AnalyzeTests {
    /// A 3 × 2 sweep of samples and policy.synthetic_size (mix, generation 0 only).
    static let sweep = """
        name: er
        seed: 7
        replicates: 4
        generations: 0
        samples: 20
        model: { family: gaussian }
        real: { distribution: normal, mean: 0.0, sd: 1.0 }
        policy: { kind: mix, real_fraction: 0 }
        metrics: [variance_ratio]
        sweep:
          samples: [20, 40, 80]
          policy.synthetic_size: [40, 160]

        """

    /// u(n) = 1 − 1/(1 + n/50).
    static func u(_ n: Double) -> Double { 1 - 1 / (1 + n / 50) }

    /// The sweep run, then its metrics.csv replaced by utilities with rate k = 4: for
    /// every cell, trtr_accuracy = u(samples) ± 0.001 and tstr_accuracy = u(s/4) ± 0.001
    /// (replicates alternate the sign, so each cell's mean is the curve's value).
    func knownRateFolder(_ s: Scratch) throws {
        let config = try s.write("er.yaml", Self.sweep)
        let r = try s.run(["run", config, "--out", s.path("res"), "--quiet"])
        try #require(r.status == 0, "\(r)")
        var text = "cell,replicate,generation,metric,value\n"
        for line in csvLines(try s.text("res/cells.csv")).dropFirst() {
            let f = line.split(separator: ",").map(String.init)  // cell,policy.synthetic_size,samples
            let (cell, size, samples) = (f[0], Double(f[1])!, Double(f[2])!)
            for rep in 0..<4 {
                let d = rep % 2 == 0 ? 0.001 : -0.001
                text += "\(cell),\(rep),0,trtr_accuracy,\(Self.u(samples) + d)\n"
                text += "\(cell),\(rep),0,tstr_accuracy,\(Self.u(size / 4) + d)\n"
            }
        }
        try s.write("res/metrics.csv", text)
    }

    /// The header, the real arm pooled by samples (two cells of 4 replicates each), and
    /// the synthetic rows: s = 160 maps to r* = 40 and rate 4 inside its interval; s = 40
    /// has u(10) below the curve's smallest size (20), so it is not identified.
    @Test func exchangeRateOfAKnownRate() throws {
        try withScratch { s in
            try knownRateFolder(s)
            let r = try s.run(["analyze", "exchange-rate", "res", "--metric", "tstr_accuracy"])
            try #require(r.status == 0, "\(r)")
            #expect(r.stdout.contains("real arm: trtr_accuracy at generation 0, r = 20, 40, 80"), "\(r)")
            let lines = csvLines(try s.text("res/exchange_rate.csv"))
            #expect(lines[0] == "arm,metric,size,replicates,utility,utility_se,fitted_utility,real_set_size,equivalent_real_size,rate,rate_low,rate_high,note")
            #expect(lines.count == 1 + 3 + 6)
            let rows = try lines.dropFirst().map { line -> [String] in
                let table = try #require(Self.fields(String(line)))
                return table
            }
            let real = rows.filter { $0[0] == "real" }
            #expect(real.map { $0[2] } == ["20", "40", "80"])
            for row in real {
                #expect(row[1] == "trtr_accuracy" && row[3] == "8")
                #expect(abs(Double(row[4])! - Self.u(Double(row[2])!)) < 1e-12)
                #expect(row[4] == row[6], "the curve is already monotone: fit = mean")
                #expect(row[7...11].joined().isEmpty)
            }
            let synthetic = rows.filter { $0[0] == "synthetic" }
            #expect(synthetic.map { "\($0[7])/\($0[2])" } == ["20/40", "20/160", "40/40", "40/160", "80/40", "80/160"])
            for row in synthetic {
                #expect(row[1] == "tstr_accuracy" && row[3] == "4")
                if row[2] == "160" {
                    #expect(abs(Double(row[8])! - 40) < 1e-6, "\(row)")
                    #expect(abs(Double(row[9])! - 4) < 1e-6, "\(row)")
                    #expect(Double(row[10])! <= 4 && 4 <= Double(row[11])!, "\(row)")
                    #expect(row[12].isEmpty)
                } else {
                    #expect(row[8...11].joined().isEmpty, "\(row)")
                    #expect(row[12].hasPrefix("not identified: utility 0.1667 is worse than the real curve at its smallest size"), "\(row)")
                }
            }
            // --real-size chooses the synthetic arm; an existing file needs --force; --out elsewhere.
            let again = try s.run(["analyze", "exchange-rate", "res", "--metric", "tstr_accuracy", "--real-size", "40"])
            #expect(again.status == 3 && again.stderr.contains("exists already; pass --force"), "\(again)")
            let forced = try s.run(["analyze", "exchange-rate", "res", "--metric", "tstr_accuracy", "--real-size", "40", "--force", "--quiet"])
            #expect(forced.status == 0 && forced.stdout.isEmpty, "\(forced)")
            #expect(csvLines(try s.text("res/exchange_rate.csv")).count == 1 + 3 + 2)
            let other = try s.run(["analyze", "exchange-rate", "res", "--metric", "tstr_accuracy", "--out", "elsewhere", "--quiet"])
            #expect(other.status == 0, "\(other)")
            #expect(csvLines(try s.text("elsewhere/exchange_rate.csv")).count == 1 + 3 + 6)

            // The report draws it.
            let report = try s.run(["report", "res"])
            #expect(report.status == 0, "\(report)")
            #expect(s.exists("res/report/exchange-rate.svg"), "\(report)")
            #expect(try s.text("res/report/index.html").contains("exchange-rate.svg"))
        }
    }

    /// The refusals: exit 2 and a message naming the missing thing.
    @Test func exchangeRateRefusals() throws {
        try withScratch { s in
            try knownRateFolder(s)
            let missing = try s.run(["analyze", "exchange-rate", "nowhere", "--metric", "tstr_accuracy"])
            #expect(missing.status == 2 && missing.stderr.contains("nowhere: no such folder"), "\(missing)")
            let metric = try s.run(["analyze", "exchange-rate", "res", "--metric", "tstr_auc"])
            #expect(metric.status == 2 && metric.stderr.contains("metric trtr_auc (the real arm, at generation 0): no values"), "\(metric)")
            #expect(metric.stderr.contains("it holds the metrics trtr_accuracy, tstr_accuracy"), "\(metric)")
            let synth = try s.run(["analyze", "exchange-rate", "res", "--metric", "tstr_auc", "--real-metric", "trtr_accuracy"])
            #expect(synth.status == 2 && synth.stderr.contains("metric tstr_auc (the synthetic arm, at generation 0)"), "\(synth)")
            let arm = try s.run(["analyze", "exchange-rate", "res", "--metric", "tstr_accuracy", "--real-size", "30"])
            #expect(arm.status == 2 && arm.stderr.contains("the synthetic arm: no cell has samples = 30"), "\(arm)")
            #expect(!s.exists("res/exchange_rate.csv"))

            // One real size only.
            let one = try s.write("one.yaml", Self.sweep.replacingOccurrences(of: "  samples: [20, 40, 80]\n", with: ""))
            let run = try s.run(["run", one, "--out", s.path("one"), "--quiet"])
            try #require(run.status == 0, "\(run)")
            let few = try s.run(["analyze", "exchange-rate", "one", "--metric", "variance_ratio"])
            #expect(few.status == 2 && few.stderr.contains("has 1 real size (20); the exchange rate needs at least two"), "\(few)")
        }
    }

    /// --parity on a mix sweep over policy.real_fraction: one row per share, each mean
    /// equal to summary.csv's at the last generation, the reference's difference 0, and
    /// with a tolerance that admits every share the parity share is the smallest.
    @Test func parityOfAMixSweep() throws {
        try withScratch { s in
            let config = try s.write("mix.yaml", tinyConfig.replacingOccurrences(of: "policy: { kind: replace }", with: "policy: { kind: mix, real_fraction: 0 }")
                                        + "metrics: [variance_ratio]\nsweep:\n  policy.real_fraction: [0, 0.5, 1]\n")
            let run = try s.run(["run", config, "--set", "generations=3", "--out", s.path("mix"), "--quiet"])
            try #require(run.status == 0, "\(run)")
            let r = try s.run(["analyze", "exchange-rate", "mix", "--parity", "--metric", "variance_ratio", "--tolerance", "10"])
            try #require(r.status == 0, "\(r)")
            #expect(r.stdout.contains("smallest real share within 10: 0"), "\(r)")
            let lines = csvLines(try s.text("mix/parity.csv"))
            #expect(lines[0] == "metric,generation,tolerance,real_fraction,replicates,mean,se,difference,within_tolerance,parity")
            let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.map { $0[3] } == ["0", "0.5", "1"])
            #expect(rows.map { $0[9] } == ["true", "false", "false"])
            #expect(rows.allSatisfy { $0[0] == "variance_ratio" && $0[1] == "3" && $0[2] == "10" && $0[4] == "20" && $0[8] == "true" })
            #expect(rows[2][7] == "0")
            // Each mean is summary.csv's mean of that cell at generation 3.
            let shares = Dictionary(uniqueKeysWithValues: csvLines(try s.text("mix/cells.csv")).dropFirst().map { line in
                let f = line.split(separator: ","); return (String(f[0]), String(f[1]))
            })
            for line in csvLines(try s.text("mix/summary.csv")).dropFirst() {
                let f = line.split(separator: ",").map(String.init)  // cell,generation,metric,mean,…
                guard f[1] == "3", f[2] == "variance_ratio", let row = rows.first(where: { $0[3] == shares[f[0]] }) else { continue }
                #expect(abs(Double(row[5])! - Double(f[3])!) < 1e-12 * max(1, abs(Double(f[3])!)), "\(row) vs \(f)")
            }
            let report = try s.run(["report", "mix"])
            #expect(report.status == 0 && s.exists("mix/report/parity.svg"), "\(report)")

            // A reference-free sweep, a missing generation, and a non-mix folder.
            let g = try s.run(["analyze", "exchange-rate", "mix", "--parity", "--metric", "variance_ratio", "--generation", "9", "--force"])
            #expect(g.status == 2 && g.stderr.contains("--generation 9: no values of variance_ratio there; its generations are 0, 1, 2, 3"), "\(g)")
            let noRef = try s.run(["run", config, "--set", "generations=3", "--set", "sweep.policy.real_fraction=[0, 0.5]",
                                   "--out", s.path("noref"), "--quiet"])
            try #require(noRef.status == 0, "\(noRef)")
            let ref = try s.run(["analyze", "exchange-rate", "noref", "--parity", "--metric", "variance_ratio"])
            #expect(ref.status == 2 && ref.stderr.contains("no cell with policy.real_fraction 1"), "\(ref)")
        }
    }

    /// A CSV line's fields (RFC 4180 quotes: the notes may hold commas).
    static func fields(_ line: String) -> [String]? {
        var out: [String] = [], field = "", quoted = false, chars = Array(line), i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" { if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false } }
                else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { out.append(field); field = "" } else { field.append(c) }
            i += 1
        }
        out.append(field)
        return out
    }
}
