import Foundation
import Testing

/// `collapse bench` end to end: the table it prints and the errors it gives. The rates
/// themselves are measurements, not tested (targets live in the README's Performance
/// section, never in timed tests).
@Suite struct BenchTests {
    /// Every requested kernel prints one row under the header, with a rate in its unit
    /// and, where the kernel has one, its reference and ratio.
    @Test func quickRunPrintsEveryRequestedKernel() throws {
        try withScratch { s in
            let r = try s.run(["bench", "--quick", "--runs", "1", "--kernel", "rng.normal",
                               "--kernel", "gaussian.samples", "--kernel", "gmm.fit"])
            #expect(r.status == 0, "\(r)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("kernel") == true, "\(r)")
            #expect(lines.count == 4, "\(r)")
            #expect(lines.contains { $0.hasPrefix("rng.normal") && $0.contains("draws/s") }, "\(r)")
            #expect(lines.contains { $0.hasPrefix("gaussian.samples") && $0.contains("(rng.normal)") && $0.contains("≥ 0.85") }, "\(r)")
            #expect(lines.contains { $0.hasPrefix("gmm.fit") && $0.contains("fits/s") && $0.contains("EM iterations") }, "\(r)")
        }
    }

    /// The output kernel writes its files and names the bytes a value of its form.
    @Test func outputKernelMeasuresValuesPerSecondAndBytesPerValue() throws {
        try withScratch { s in
            let r = try s.run(["bench", "--quick", "--runs", "1", "--kernel", "output.csv.gz"])
            #expect(r.status == 0, "\(r)")
            let row = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("output.csv.gz") }, "\(r)")
            #expect(row.contains("values/s") && row.contains("606000 values") && row.contains("bytes/value"), "\(r)")
        }
    }

    /// `--gmm-data` fits the given points; a bad file is named with the bad line.
    @Test func gmmDataIsReadAndCheckedLineByLine() throws {
        try withScratch { s in
            var points: [String] = []
            for i in 0..<200 {
                let x: Double = Double(i % 7) - 3.5 + Double(i) * 0.001
                points.append(String(x))
            }
            // CRLF line ends and blank lines are accepted.
            let good = try s.write("points.txt", points.joined(separator: "\r\n") + "\r\n\r\n")
            let r = try s.run(["bench", "--kernel", "gmm.fit", "--runs", "1", "--gmm-data", good])
            #expect(r.status == 0 && r.stdout.contains("n = 200 (--gmm-data)"), "\(r)")
            let bad = try s.write("bad.txt", "1.0\n\n2.0\nthree\n")
            let e = try s.run(["bench", "--kernel", "gmm.fit", "--gmm-data", bad])
            #expect(e.status == 2, "\(e)")
            #expect(e.stderr.contains("--gmm-data: line 4 of '\(bad)' is 'three'; allowed: one finite number per line"), "\(e)")
        }
    }

    /// `--copula-data` fits and samples every row of the given table; an unreadable one
    /// is a config error naming the option and the file.
    @Test func copulaDataIsFittedWhole() throws {
        try withScratch { s in
            let rows = (0..<300).map { "\($0 % 17),\(Double($0) * 0.5 + Double($0 % 5)),\($0 % 3 == 0 ? "a" : "b")" }
            // CRLF line ends, as Python's csv module writes them.
            let good = try s.write("t.csv", "x,y,g\r\n" + rows.joined(separator: "\r\n") + "\r\n")
            let r = try s.run(["bench", "--kernel", "copula.empirical", "--kernel", "copula.normal", "--runs", "1", "--copula-data", good])
            #expect(r.status == 0, "\(r)")
            for kernel in ["copula.empirical", "copula.normal"] {
                #expect(r.stdout.split(separator: "\n").contains {
                    $0.hasPrefix(kernel) && $0.contains("rows/s") && $0.contains("300 rows × 2 numeric + 1 categorical columns (--copula-data)")
                }, "\(r)")
            }
            let e = try s.run(["bench", "--kernel", "copula.normal", "--copula-data", s.path("absent.csv")])
            #expect(e.status == 2, "\(e)")
            #expect(e.stderr.contains("--copula-data: '\(s.path("absent.csv"))': real.file"), "\(e)")
        }
    }

    @Test func unknownKernelIsAUsageError() throws {
        try withScratch { s in
            let r = try s.run(["bench", "--kernel", "fft"])
            #expect(r.status == 64, "\(r)")
            #expect(r.stderr.contains("--kernel: got 'fft'; allowed: rng.normal, gaussian.samples"), "\(r)")
        }
    }
}
