import Foundation

extension BenchmarkSuite {
    /// The trivial generator of the `external.protocol` kernel: it copies the training
    /// file to the output file (under `replace` the counts agree), so what is timed is
    /// collapse's side of protocol 1 plus one round trip to a Python process.
    static let trivialGenerator = """
    import json, shutil, sys
    for line in sys.stdin:
        r = json.loads(line)
        if r["op"] == "hello":
            sys.stdout.write('{"ok": true, "name": "copy", "version": "1"}\\n')
        else:
            shutil.copyfile(r["train"], r["out"])
            sys.stdout.write('{"ok": true}\\n')
        sys.stdout.flush()

    """

    /// Generations per second of an external `data: vector` chain (replace, d = 10, n =
    /// `rows`, metric `trace`) with ``trivialGenerator``: writing the training file, the
    /// request and reply, reading and checking the output file and the batch moments,
    /// per generation. The program starts in the first of the runs (the median leaves it
    /// out). The reference, 200 generations/s, is the issue's ceiling of 5 ms a generation.
    func externalProtocol(rows: Int) throws -> BenchmarkResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("collapse-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            ExternalGenerators.shutdown()
            try? FileManager.default.removeItem(at: folder)
        }
        let script = folder.appendingPathComponent("copy.py")
        try Self.trivialGenerator.write(to: script, atomically: true, encoding: .utf8)
        let d = 10, generations = 50, replicates = 2
        let yaml = """
        replicates: \(replicates)
        generations: \(generations)
        samples: \(rows)
        model: { family: external, command: [python3, \(script.path)], data: vector, timeout: 60 }
        real: { distribution: normal, mean: [\(Array(repeating: "0", count: d).joined(separator: ", "))] }
        policy: { kind: replace }
        metrics: [trace]
        """
        let experiment = try ConfigLoader.parseExperiment(text: yaml, source: "bench")
        try experiment.prepareFamilies()
        let seconds = median { _ = ExperimentRunner(experiment: experiment, jobs: 1).results() }
        return BenchmarkResult(
            kernel: "external.protocol",
            setup: "external data: vector, replace, n = \(rows) rows × \(d) columns, G = \(generations), \(replicates) replicates, 1 worker, a generator that copies train to out",
            rate: Double(replicates * (generations + 1)) / seconds, unit: "generations/s",
            reference: 200, referenceName: "5 ms a generation", target: 1)
    }
}
