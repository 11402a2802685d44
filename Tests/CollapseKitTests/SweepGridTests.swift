import Testing
@testable import CollapseKit

/// The `sweep:` / `zip:` grid (Sweep.swift): which cells a config gives, their ids and
/// streams, `cells.csv`, and the errors a malformed grid reports.
@Suite struct SweepGridTests {
    static let base = """
        name: grid
        seed: 5
        replicates: 4
        generations: 3
        samples: 20
        model: { family: gaussian }
        real: { distribution: normal }
        policy: { kind: mix, real_fraction: 0.1 }
        metrics: [variance, w2]

        """

    func experiment(_ grid: String, overrides: [String] = []) throws -> Experiment {
        try ConfigLoader.parseExperiment(text: Self.base + grid, overrides: overrides)
    }

    func errors(_ grid: String, overrides: [String] = []) -> [String] {
        do {
            _ = try experiment(grid, overrides: overrides)
            return []
        } catch let e as ConfigErrors {
            return e.errors.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func sweepIsTheCartesianProductFirstKeySlowest() throws {
        let e = try experiment("sweep:\n  samples: [10, 100, 1000]\n  policy.real_fraction: [0.0, 0.1, 0.5]\n")
        #expect(e.cells.count == 9)
        #expect(e.chainCount == 36)
        #expect(e.sweep?.keys == ["policy.real_fraction", "samples"])
        // Factors ordered by key: policy.real_fraction varies slowest.
        let pairs = e.cells.map { ($0.config.policy.mix!.realFraction.fraction(generation: 1, generations: 3), $0.config.samples) }
        #expect(pairs.map(\.0) == [0, 0, 0, 0.1, 0.1, 0.1, 0.5, 0.5, 0.5])
        #expect(pairs.map(\.1) == [10, 100, 1000, 10, 100, 1000, 10, 100, 1000])
        // Each cell's config is the base config with the cell's values set.
        #expect(e.cells.allSatisfy { $0.config.replicates == 4 && $0.config.generations == 3 })
        #expect(Set(e.cells.map(\.id)).count == 9)

        let csv = CellsTable.csv(e).split(separator: "\n").map(String.init)
        #expect(csv.count == 10)
        #expect(csv[0] == "cell,policy.real_fraction,samples")
        #expect(csv[1] == "\(e.cells[0].id),0,10")
        #expect(csv[9] == "\(e.cells[8].id),0.5,1000")
    }

    @Test func nestedSweepKeysAreDottedPaths() throws {
        let dotted = try experiment("sweep:\n  policy.real_fraction: [0.0, 0.5]\n")
        let nested = try experiment("sweep:\n  policy:\n    real_fraction: [0.0, 0.5]\n")
        #expect(dotted.cells.map(\.id) == nested.cells.map(\.id))
        #expect(dotted.hash == nested.hash)
    }

    @Test func zipVariesItsListsTogether() throws {
        let e = try experiment("zip:\n  samples: [10, 20, 40]\n  replicates: [8, 4, 2]\n")
        #expect(e.cells.map(\.config.samples) == [10, 20, 40])
        #expect(e.cells.map(\.config.replicates) == [8, 4, 2])
        #expect(e.chainCount == 14)

        // zip × sweep, and several zip groups as a list.
        let both = try experiment("""
            sweep: { policy.real_fraction: [0.0, 1.0] }
            zip:
              - { samples: [10, 20], replicates: [8, 4] }
              - { seed: [1, 2, 3], generations: [1, 2, 3] }

            """)
        #expect(both.cells.count == 2 * 2 * 3)
        #expect(both.cells.allSatisfy { ($0.config.samples == 10) == ($0.config.replicates == 8) })
        #expect(both.cells.allSatisfy { Int($0.config.seed) == $0.config.generations })
    }

    @Test func withoutASweepThereIsOneCellWithTheSingleConfigsHash() throws {
        let e = try experiment("")
        let single = try ConfigLoader.parse(text: Self.base)
        #expect(e.cells.count == 1)
        #expect(e.cells[0].parameters.isEmpty)
        #expect(e.cells[0].id == "08f44b07b5901a25")  // the id of parameters {} (README)
        #expect(e.hash == single.hash)
        #expect(CellsTable.csv(e) == "cell\n08f44b07b5901a25\n")
    }

    /// Streams are keyed by (seed, cell key, replicate) and a cell's key depends only on
    /// its own parameter values: adding a value to a sweep leaves every existing cell's
    /// id, streams and numbers as they were.
    @Test func addingASweepValueKeepsExistingCells() throws {
        let small = try experiment("sweep:\n  policy.real_fraction: [0.0, 0.5]\n  samples: [10, 20]\n")
        let large = try experiment("sweep:\n  policy.real_fraction: [0.0, 0.25, 0.5]\n  samples: [10, 20, 40]\n")
        #expect(small.hash != large.hash)
        for cell in small.cells {
            let same = try #require(large.cells.first { $0.id == cell.id }, "cell \(cell.id) vanished")
            #expect(same.parameters == cell.parameters)
            #expect(same.key == cell.key)
            let a = cell.config.chainRunner().run(key: cell.streamKey(replicate: 1), replicate: 1)
            let b = same.config.chainRunner().run(key: same.streamKey(replicate: 1), replicate: 1)
            #expect(a.values == b.values)
            #expect(!a.values.isEmpty)
        }
        // Different cells get different streams.
        let first = small.cells[0], second = small.cells[1]
        let a = first.config.chainRunner().run(key: first.streamKey(replicate: 0), replicate: 0)
        let b = second.config.chainRunner().run(key: second.streamKey(replicate: 0), replicate: 0)
        #expect(a.values != b.values)
    }

    @Test func setOverridesReplaceASweepList() throws {
        let e = try experiment("sweep:\n  policy.real_fraction: [0.0, 0.5]\n",
                               overrides: ["sweep.policy.real_fraction=[0.0, 0.2, 0.5]", "sweep.samples=[10, 30]"])
        #expect(e.sweep?.keys == ["policy.real_fraction", "samples"])
        #expect(e.cells.count == 6)
        let removed = try experiment("sweep:\n  policy.real_fraction: [0.0, 0.5]\n", overrides: ["sweep="])
        #expect(removed.cells.count == 1)
    }

    @Test func gridErrorsNameTheFieldTheValueAndWhatIsAllowed() {
        #expect(errors("sweep: [1, 2]\n") == [
            "sweep: got [1, 2]; allowed: \(SweepSpec.allowed)"])
        #expect(errors("sweep:\n  samples: 10\n") == [
            "sweep.samples: got 10; allowed: a non-empty list of values, one per cell"])
        #expect(errors("sweep:\n  samples: []\n") == [
            "sweep.samples: got []; allowed: a non-empty list of values, one per cell"])
        #expect(errors("sweep:\n  samples: [10, 10]\n") == [
            "sweep.samples: got the value 10 twice; allowed: distinct values (each gives one cell)"])
        #expect(errors("zip:\n  samples: [10, 20]\n  replicates: [1, 2, 3]\n") == [
            "zip: got lists of different lengths (replicates: 3, samples: 2); allowed: lists of one common length, varied together"])
        #expect(errors("sweep: { samples: [10, 20] }\nzip: { samples: [30, 40], seed: [1, 2] }\n") == [
            "sweep: got the key samples twice (in sweep and zip); allowed: each key in one place"])
        #expect(errors("sweep: { policy: [{kind: replace}], policy.real_fraction: [0, 1] }\n") == [
            "sweep: got both policy and policy.real_fraction; allowed: keys that do not contain one another"])
        #expect(errors("sweep: { policy.real_fraction: [0, 1], policy: { real_fraction: [0.5] } }\n") == [
            "sweep.policy.real_fraction: got given twice (as a dotted key and nested); allowed: each key once"])
        #expect(errors("sweep: { sweep.samples: [1, 2] }\n") == [
            "sweep.sweep.samples: got a sweep of the sweep; allowed: config keys other than sweep and zip"])
        #expect(errors("sweep: { policy..real_fraction: [1, 2] }\n") == [
            "sweep.policy..real_fraction: got an empty path segment; allowed: a dotted key path such as policy.real_fraction"])
    }

    @Test func aCellThatFailsValidationIsNamedByItsValues() {
        let found = errors("sweep:\n  samples: [1, 10]\n  policy.real_fraction: [0.5, 2]\n")
        // Each problem once, with the first cell that shows it.
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.hasPrefix("sweep cell policy.real_fraction=0.5, samples=1: samples: got 1; allowed:") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("sweep cell policy.real_fraction=2, samples=1: policy.real_fraction: got 2; allowed:") }, "\(found)")
        // An unknown swept key is reported once, not once per cell.
        let unknown = errors("sweep:\n  sampels: [10, 20]\n")
        #expect(unknown.count == 1, "\(unknown)")
        #expect(unknown.first?.contains("sampels: got an unknown key") == true, "\(unknown)")
    }

    @Test func valuesEqualAsWrittenGiveOneCellAndAreRefused() {
        let found = errors("sweep:\n  policy.real_fraction: [1, 1.0]\n")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains("twice") == true, "\(found)")
    }
}
