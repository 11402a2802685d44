import Foundation
import Testing

/// `collapse demo`: the plain frames for a fixed seed are exactly the golden files
/// (regenerate one, after a deliberate change, with the command in its test).
@Suite struct DemoTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: [
        ("demo-gaussian.txt", ["demo", "gaussian", "--no-animation", "--generations", "8", "--seed", "1"]),
        ("demo-categorical.txt", ["demo", "categorical", "--no-animation", "--generations", "8", "--seed", "1"]),
    ])
    func plainFramesMatchTheGoldenFile(_ file: String, _ arguments: [String]) throws {
        try withScratch { s in
            let r = try s.run(arguments)
            try #require(r.status == 0, "\(r)")
            let expected = try String(contentsOf: Self.golden.appendingPathComponent(file), encoding: .utf8)
            #expect(r.stdout == expected, "collapse \(arguments.joined(separator: " ")) > Tests/CLITests/Golden/\(file)")
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
