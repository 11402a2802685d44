import Foundation
import Testing

/// `collapse demo`: the plain frames for a fixed seed are exactly the golden files
/// (regenerate one, after a deliberate change, with the command in its test).
@Suite struct DemoTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// At the default seed (5).
    @Test(arguments: [
        ("demo-gaussian.txt", ["demo", "gaussian", "--no-animation", "--generations", "8"]),
        ("demo-categorical.txt", ["demo", "categorical", "--no-animation", "--generations", "8"]),
    ])
    func plainFramesMatchTheGoldenFile(_ file: String, _ arguments: [String]) throws {
        try withScratch { s in
            let r = try s.run(arguments)
            try #require(r.status == 0, "\(r)")
            let expected = try String(contentsOf: Self.golden.appendingPathComponent(file), encoding: .utf8)
            #expect(r.stdout == expected, "collapse \(arguments.joined(separator: " ")) > Tests/CLITests/Golden/\(file)")
        }
    }

    /// The plain frames of one demo run, each as its lines.
    func frames(_ arguments: [String], in s: Scratch) throws -> [[String]] {
        let r = try s.run(arguments)
        try #require(r.status == 0, "\(r)")
        return r.stdout.components(separatedBy: "collapse demo —").dropFirst().map { $0.components(separatedBy: "\n") }
    }

    /// The number before "(real …)" on a frame's status line ("  variance ▅▅▄  0.4501 (real 1)").
    func status(_ frame: [String], _ name: String) throws -> String {
        let line = try #require(frame.first { $0.hasPrefix("  \(name) ") }, "no \(name) line in \(frame)")
        let words = line.split(separator: " ")
        let at = try #require(words.firstIndex { $0.hasPrefix("(real") })
        return String(words[at - 1])
    }

    /// Every Gaussian caption states what its frame shows: "went up/down from a to b"
    /// with a the previous frame's variance and b this frame's, "up" exactly when b > a;
    /// a shrinking variance is only ever claimed as the average, E[σ²_t] = ((n−1)/n)^(t+1)
    /// with n = 25 (Shumailov et al. 2024). Seed 1's variance rises at first.
    @Test(arguments: [1, 2, 3, 4, 5])
    func gaussianCaptionsStateWhatTheFrameShows(seed: Int) throws {
        try withScratch { s in
            let all = try frames(["demo", "gaussian", "--no-animation", "--generations", "12", "--seed", String(seed)], in: s)
            try #require(all.count == 13)
            for t in 1..<all.count {
                let (previous, current) = (try status(all[t - 1], "variance"), try status(all[t], "variance"))
                let caption = try #require(all[t].first { $0.hasPrefix("  Refit \(t): the variance ") }, "\(all[t])")
                let up = Double(current)! > Double(previous)!
                #expect(caption.hasPrefix("  Refit \(t): the variance went \(up ? "up" : "down") from \(previous) to \(current) ("),
                        "seed \(seed), generation \(t): \(caption)")
                let average = String(format: "%.4g", pow(24.0 / 25, Double(t + 1)))
                #expect(all[t].contains { $0.hasPrefix("  On average over many chains E[σ²_\(t)] = \(average): ") }, "\(all[t])")
                for line in all[t] where line.contains("shrink") {
                    #expect(line.hasPrefix("  On average"), "a shrink claimed as a fact: \(line)")
                }
            }
        }
    }

    /// Every categorical caption counts what the status line counts, and the categories
    /// it says this sample dropped are exactly the next frame's new losses (under
    /// replace a category the sample lacks is gone from the next fit on).
    @Test(arguments: [1, 2, 3, 4, 5])
    func categoricalCaptionsCountTheLosses(seed: Int) throws {
        try withScratch { s in
            let all = try frames(["demo", "categorical", "--no-animation", "--generations", "12", "--seed", String(seed)], in: s)
            try #require(all.count == 13)
            let lost = try all.map { 30 - Int(try status($0, "support size"))! }
            for t in 0..<all.count {
                let first = t == 0 ? "  Generation 0 counts n = 200 real draws: \(lost[0]) of 30 categories drew none."
                                   : "  Lost for good so far: \(lost[t]) of 30 categories."
                #expect(all[t].contains(first), "seed \(seed), generation \(t): \(all[t])")
                let sample = try #require(all[t].first { $0.hasPrefix("  Its sample ") || $0.hasPrefix("  This sample ") },
                                          "\(all[t])")
                var named = 0
                if let range = sample.range(of: "none of ") {
                    let list = sample[range.upperBound...].prefix { $0 != "(" }
                        .replacingOccurrences(of: "categories", with: "").replacingOccurrences(of: "category", with: "")
                    named = list.split(separator: ",").count
                } else {
                    #expect(sample.contains("every category"), "\(sample)")
                }
                if t + 1 < all.count {
                    #expect(lost[t + 1] == (t == 0 ? named : lost[t] + named), "seed \(seed), generation \(t): \(sample); lost \(lost)")
                }
            }
        }
    }

    @Test func framesOnePerGenerationWhenPiped() throws {
        try withScratch { s in
            // Without --no-animation: stdout is a pipe here, so frames are plain too.
            let r = try s.run(["demo", "--generations", "3", "--real-fraction", "0.5"])
            try #require(r.status == 0, "\(r)")
            #expect(r.stdout.components(separatedBy: "collapse demo —").count - 1 == 4)
            #expect(!r.stdout.contains("\u{1B}["), "no terminal control codes into a pipe")
            #expect(r.stdout.contains("real data 50%"))
        }
    }

    @Test func badFlagsAreNamed() throws {
        try withScratch { s in
            let r = try s.run(["demo", "--real-fraction", "1.5"])
            #expect(r.status == 64)
            #expect(r.stderr.contains("--real-fraction: got 1.5; allowed: a number in [0, 1]"), "\(r)")
        }
    }
}
