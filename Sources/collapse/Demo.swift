import ArgumentParser
import CollapseKit
import Foundation

/// `collapse demo [gaussian|categorical]`: one chain, animated in the terminal, for
/// the classroom: the generated sample's histogram against the real distribution,
/// a sparkline of the variance (or support size), one line saying what is going on.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch one chain collapse in the terminal (for teaching).")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case gaussian, categorical }

    @Argument(help: "What to watch: gaussian (the variance tends to shrink) or categorical (categories die out, rare ones likeliest).")
    var kind: Kind = .gaussian

    @Option(help: "Generations to show.")
    var generations: Int = 60

    @Option(help: "Sample size n of every generation.")
    var samples: Int?

    @Option(name: .customLong("real-fraction"), help: "Share of fresh real data in every training set, 0…1 (try 0.2: the collapse stops).")
    var realFraction: Double = 0

    @Option(help: "Categories of the Zipf distribution (categorical demo).")
    var categories: Int = 30

    @Option(help: "Frames per second when animating.")
    var speed: Double = 6

    /// Seed 5's two chains are close to the median chain of 500 seeds, for both demos
    /// (scripts/demo-seed.py; docs/reports.md): the variance falls as it typically
    /// does, and categories are lost at the typical pace. Seed 1's Gaussian variance,
    /// by contrast, rises from 1.22 to 4.40 over its first eight generations.
    @Option(help: "Seed (default 5: a typical chain for both demos, see docs/reports.md).")
    var seed: Int = 5

    @Flag(name: .customLong("no-animation"), help: "Print plain frames one after another (the default when stdout is not a terminal).")
    var noAnimation = false

    func validate() throws {
        if generations < 1 || generations > 100_000 { throw ValidationError("--generations: got \(generations); allowed: 1…100000") }
        if let samples, samples < 2 { throw ValidationError("--samples: got \(samples); allowed: an integer ≥ 2") }
        if !(realFraction >= 0 && realFraction <= 1) { throw ValidationError("--real-fraction: got \(realFraction); allowed: a number in [0, 1]") }
        if categories < 2 { throw ValidationError("--categories: got \(categories); allowed: an integer ≥ 2") }
        if !(speed > 0) { throw ValidationError("--speed: got \(speed); allowed: a number > 0 (frames per second)") }
        if seed < 0 { throw ValidationError("--seed: got \(seed); allowed: an integer ≥ 0") }
    }

    /// The one-chain experiment the demo shows.
    var yaml: String {
        let n = samples ?? (kind == .gaussian ? 25 : 200)
        let policy = realFraction > 0
            ? "{ kind: mix, real_fraction: \(realFraction), real_source: fresh }" : "{ kind: replace }"
        let family = kind == .gaussian
            ? "model: { family: gaussian }\nreal: { distribution: normal }\nmetrics: [variance]"
            : "model: { family: categorical }\nreal: { distribution: zipf, categories: \(categories), exponent: 1.1 }\nmetrics: [support_size, lost_mass]"
        return """
            name: demo
            seed: \(seed)
            replicates: 1
            generations: \(generations)
            samples: \(n)
            policy: \(policy)
            \(family)
            output: { snapshots: [\((0...generations).map(String.init).joined(separator: ", "))] }
            """
    }

    func run() throws {
        let experiment: Experiment
        do {
            experiment = try ConfigLoader.parseExperiment(text: yaml, source: "demo")
        } catch let e as ConfigErrors {
            throw fail("demo settings: " + e.errors.map(\.description).joined(separator: "; "), code: ExitCodes.badConfig)
        }
        let config = experiment.base
        let runner = ExperimentRunner(experiment: experiment, jobs: 1)
        let cell = try require(runner.results().first)
        let snapshots = runner.snapshots()[cell.cell.id] ?? []
        let frames = DemoFrames(config: config, cell: cell, snapshots: snapshots, kind: kind)
        let animate = !noAnimation && isatty(STDOUT_FILENO) == 1
        for t in 0..<frames.count {
            let frame = frames.frame(t)
            if animate {
                print("\u{1B}[H\u{1B}[2J" + frame, terminator: "")
                FileHandle.standardOutput.synchronizeFile()
                usleep(useconds_t(1_000_000 / speed))
            } else {
                print(frame)
            }
        }
    }
}

/// `try #require`-style unwrap for the CLI.
private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw fail("internal error: the demo produced no results", code: 1) }
    return value
}
