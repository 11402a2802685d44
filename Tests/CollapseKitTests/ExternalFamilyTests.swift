import Foundation
import Testing
@testable import CollapseKit

/// The pieces of `model.family: external` that need no child process: the
/// `label_coverage` judge, the output-file checks, the seed.
@Suite struct ExternalFamilyTests {
    /// Centroids are the per-label means of the file's rows; a row goes to the nearest;
    /// coverage counts the classes hit.
    @Test func labelCoverageIsTheShareOfClassesTheNearestCentroidFinds() throws {
        try withDataFolder { f in
            // Class "a" around (0, 0), "b" around (10, 0), "c" around (0, 10).
            try f.write("t.csv", "x,y,label\n-1,0,a\n1,0,a\n9,0,b\n11,0,b\n0,9,c\n0,11,c\n")
            let config = try f.config("""
                model: { family: external, command: [python3, x.py], data: table }
                real: { distribution: table, file: t.csv, columns: [x, y], label: label }
                samples: 2
                heldout: 2
                """)
            let judge = try #require(LabelCentroids(config.real.spec as! TableRealData))
            #expect(judge.classes == ["a", "b", "c"])
            #expect(judge.centroids == [0, 0, 10, 0, 0, 10])
            let schema = TableSchema.numeric(dimension: 2)
            let batch = MixedTable(schema: schema, numeric: [[0.5, 8, 6], [0.2, 1, 0]], categorical: [])
            #expect(judge.classify(batch) == [0, 1, 1])
            #expect(judge.coverage(batch) == 2.0 / 3.0)
            #expect(config.metrics.contains(.labelCoverage))
            #expect(judge.coverage(MixedTable(schema: schema, numeric: [[], []], categorical: [])).isNaN)
        }
    }

    /// Every check of an output file, with the line it names.
    @Test func outputFilesAreCheckedCellByCell() throws {
        try withDataFolder { f in
            let columns: [ExternalFiles.Column] = [.numeric, .categorical(["red": 0, "blue, dark": 2])]
            func read(_ text: String, count: Int = 2) -> String {
                let path = (try? f.write("o.csv", text)) ?? ""
                do {
                    let r = try ExternalFiles.read(path, names: ["v", "colour"], columns: columns, count: count)
                    return "ok \(r.numeric) \(r.categorical)"
                } catch { return error.message }
            }
            #expect(read("v,colour\n1.5,red\n-2e-3,\"blue, dark\"\n") == "ok [[1.5, -0.002]] [[0, 2]]")
            #expect(read("v,colour\r\n1.5,red\r\n\r\n2,red\r\n") == "ok [[1.5, 2.0]] [[0, 0]]")
            #expect(read("w,colour\n1,red\n2,red\n") == "line 1: the header is w,colour; expected v,colour")
            #expect(read("v,colour\n1,red\n") == "1 rows; 2 were asked for")
            #expect(read("v,colour\n1,red\n2,red\n3,red\n") == "more than the 2 rows asked for")
            #expect(read("v,colour\nnan,red\n2,red\n") == "line 2, column v: NaN is not a finite number")
            #expect(read("v,colour\n1e999,red\n2,red\n") == "line 2, column v: ∞ is not a finite number"
                    || read("v,colour\n1e999,red\n2,red\n").hasSuffix("is not a finite number"))
            #expect(read("v,colour\n1x,red\n2,red\n") == "line 2, column v: '1x' is not a number")
            #expect(read("v,colour\n,red\n2,red\n") == "line 2, column v: '' is not a number")
            #expect(read("v,colour\n1,green\n2,red\n").hasPrefix("line 2, column colour: 'green' is not a category of the training file"))
            #expect(read("v,colour\n1,red,3\n2,red\n").hasPrefix("line 2: more than the 2 cells"))
            #expect(read("v,colour\n1\n2,red\n").hasPrefix("line 2: 1 cells; expected 2"))
            #expect(read("v,colour\n1,\"red\n") == "line 2: a quoted cell is never closed")
            #expect(read("").hasSuffix("is empty (no header)"))
        }
    }

    /// The training files round-trip through the reader (numbers exactly).
    @Test func trainingFilesRoundTrip() throws {
        try withDataFolder { f in
            let data = Dataset(values: [0.1, -2.5e-7, 3, 1.0 / 3, -0.0, 1e300], dimension: 2)
            let path = try f.write("train.csv", Data(ExternalFiles.bytes(of: data)))
            let back = try ExternalFiles.read(path, names: ["x1", "x2"], columns: [.numeric, .numeric], count: 3)
            #expect(back.numeric == [[0.1, 3, -0.0], [-2.5e-7, 1.0 / 3, 1e300]])
        }
    }

    /// The seed is 63 bits and a function of the stream alone.
    @Test func seedsAre63BitAndReproducible() {
        let a = RandomStream(key: StreamKey(seed: 1, cell: 2, replicate: 3))
        let b = RandomStream(key: StreamKey(seed: 1, cell: 2, replicate: 3))
        let seeds = (0..<100).map { _ in ExternalGenerator.seed(a) }
        #expect(seeds == (0..<100).map { _ in ExternalGenerator.seed(b) })
        #expect(seeds.allSatisfy { $0 < 1 << 63 })
        #expect(seeds.contains { $0 >= 1 << 62 }, "the top bit is never set")
        #expect(Set(seeds).count == 100)
    }
}

/// The report's pictures of image data (`ImageGrid`).
@Suite struct ImageGridTests {
    /// Image data (pixel_<r>_<c> columns) get a picture grid: one band per snapshot
    /// generation, one rectangle per inked pixel, black at the file's maximum.
    @Test func imageGridDrawsPixelColumnsAsPictures() throws {
        try withDataFolder { f in
            try f.write("img.csv", "pixel_0_0,pixel_0_1,pixel_1_0,pixel_1_1,digit\n0,4,8,16,1\n16,0,0,8,2\n2,2,2,2,1\n")
            func config(_ columns: String) throws -> ExperimentConfig {
                try f.config("""
                    model: { family: external, command: [python3, x.py], data: table }
                    real: { distribution: table, file: img.csv, columns: [\(columns)], label: digit }
                    samples: 2
                    heldout: 1
                    """)
            }
            let images = try config("pixel_0_0, pixel_0_1, pixel_1_0, pixel_1_1")
            let shape = try #require(ImageGrid.shape(images))
            #expect(shape.rows == 2 && shape.columns == 2)
            #expect(ImageGrid.maximum(images) == 16)
            let snaps = [Snapshot(generation: 0, width: 4, values: [0, 4, 8, 16, 16, 0, 0, 8]),
                         Snapshot(generation: 3, width: 4, values: [16, 16, 16, 16, 0, 0, 0, 0])]
            let svg = try #require(ImageGrid.svg(snaps, config: images, title: "t"))
            #expect(svg.contains("generation 0") && svg.contains("generation 3"))
            #expect(svg.contains("fill=\"#000000\""), "16 is black")
            #expect(svg.contains("fill=\"#bfbfbf\""), "4 of 16 is a light grey")
            // The background, 4 frames, 3 + 2 + 4 inked pixels.
            #expect(svg.components(separatedBy: "<rect").count - 1 == 1 + 4 + 9)
            #expect(ImageGrid.shape(try config("pixel_0_0, pixel_0_1, pixel_1_1")) == nil, "not a full grid")
        }
    }
}
