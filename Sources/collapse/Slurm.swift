import ArgumentParser
import CollapseKit
import Foundation

/// `collapse slurm CONFIG --array N`: write (and with `--submit`, submit) a Slurm job
/// array whose task k runs shard k/N, and a merge job that runs once every task
/// succeeded (`--dependency=afterok`).
struct Slurm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write Slurm batch scripts that run an experiment as a job array plus a dependent merge job.",
        discussion: "Writes DIR/slurm/{config.yaml, array.sbatch, merge.sbatch, submit.sh}. Task k of the array runs `collapse run --shard k/N --out DIR/shards/k`; the merge job writes the results into DIR. --submit runs submit.sh's two sbatch calls.")

    @Argument(help: "Experiment config (YAML or JSON).")
    var config: String

    @Option(help: "Number of array tasks N (shards).")
    var array: Int

    @OptionGroup var output: OutputOption

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "Slurm partition (sbatch --partition).")
    var partition: String?

    @Option(help: "Time limit per task (sbatch --time), e.g. 02:00:00.")
    var time: String?

    @Option(help: "Slurm account (sbatch --account).")
    var account: String?

    @Option(help: "Memory per task (sbatch --mem), e.g. 4G.")
    var mem: String?

    @Option(help: "CPUs per array task (sbatch --cpus-per-task); each task runs that many workers.")
    var cpusPerTask: Int = 1

    @Option(name: .customLong("sbatch-arg"), help: ArgumentHelp("Another #SBATCH line for both jobs, e.g. --sbatch-arg=--qos=long; repeatable.", valueName: "option"))
    var sbatchArgs: [String] = []

    @Option(help: "The collapse binary the jobs run (default: this one).")
    var binary: String?

    @Flag(help: "Submit the jobs with sbatch after writing the scripts.")
    var submit = false

    func validate() throws {
        if array < 1 { throw ValidationError("--array: got \(array); allowed: an integer ≥ 1") }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task: got \(cpusPerTask); allowed: an integer ≥ 1") }
    }

    func run() throws {
        let experiment = try configOptions.loadExperiment(path: config)
        let dir = URL(fileURLWithPath: output.path(for: experiment)).standardizedFileURL
        let folder = OutputFolder(path: dir.path)
        let slurm = dir.appendingPathComponent("slurm")
        let exe = binary.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            ?? Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments[0]
        do {
            try folder.checkWritable(configHash: experiment.hash)
            try FileManager.default.createDirectory(at: slurm.appendingPathComponent("logs"), withIntermediateDirectories: true)
            if folder.state.readInfo() == nil { try folder.state.writeInfo(experiment: experiment, shard: nil) }
            try AtomicFile.write(experiment.source.text, to: slurm.appendingPathComponent("config.yaml"))
            let scripts = SlurmScripts(name: experiment.name, tasks: array, binary: exe, dir: dir.path,
                                       configDirectory: experiment.source.directory,
                                       overrides: configOptions.overrides, header: headerLines(), cpus: cpusPerTask)
            try AtomicFile.write(scripts.array, to: slurm.appendingPathComponent("array.sbatch"))
            try AtomicFile.write(scripts.merge, to: slurm.appendingPathComponent("merge.sbatch"))
            try AtomicFile.write(scripts.submit, to: slurm.appendingPathComponent("submit.sh"))
            chmod(slurm.appendingPathComponent("submit.sh").path, 0o755)
        } catch let e as OutputError {
            throw fail(e.description, code: ExitCodes.outputRefused)
        }
        print("wrote \(slurm.path)/{array.sbatch, merge.sbatch, submit.sh, config.yaml}: \(array) tasks over \(experiment.chainCount) chains in \(experiment.cells.count) cell\(experiment.cells.count == 1 ? "" : "s")")
        guard submit else {
            print("submit with: \(shellQuote(slurm.path))/submit.sh")
            return
        }
        let arrayJob = try sbatch(["--parsable", slurm.appendingPathComponent("array.sbatch").path])
        let mergeJob = try sbatch(["--parsable", "--dependency=afterok:\(arrayJob)", slurm.appendingPathComponent("merge.sbatch").path])
        print("submitted array job \(arrayJob) (\(array) tasks) and merge job \(mergeJob)")
        print("results: \(dir.path) once job \(mergeJob) has finished (squeue -j \(arrayJob),\(mergeJob)); logs in \(slurm.path)/logs")
    }

    private func headerLines() -> [String] {
        var lines: [String] = []
        if let partition { lines.append("--partition=\(partition)") }
        if let time { lines.append("--time=\(time)") }
        if let account { lines.append("--account=\(account)") }
        if let mem { lines.append("--mem=\(mem)") }
        return lines + sbatchArgs
    }

    /// Runs sbatch and returns the job id it printed (`--parsable`: `id` or `id;cluster`).
    private func sbatch(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sbatch"] + arguments
        let outPipe = Pipe(), errPipe = Pipe()
        p.standardOutput = outPipe
        p.standardError = errPipe
        do { try p.run() } catch {
            throw fail("cannot run sbatch: \(error.localizedDescription)", code: ExitCodes.mergeRefused)
        }
        let output = String(decoding: outPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let id = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard p.terminationStatus == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw fail("sbatch \(arguments.joined(separator: " ")) failed (exit \(p.terminationStatus)): \(errors)\(output)",
                       code: ExitCodes.mergeRefused)
        }
        return id
    }
}

/// The text of the generated scripts.
struct SlurmScripts {
    let name: String
    let tasks: Int
    let binary: String
    let dir: String
    /// The original config's folder: relative paths in the copied config start there.
    let configDirectory: String
    let overrides: [String]
    let header: [String]
    let cpus: Int

    private var sets: String { overrides.map { " --set \(shellQuote($0))" }.joined() }

    var array: String {
        """
        #!/bin/bash
        #SBATCH --job-name=collapse-\(name)
        #SBATCH --array=1-\(tasks)
        #SBATCH --cpus-per-task=\(cpus)
        #SBATCH --output=\(dir)/slurm/logs/shard-%a.log
        \(header.map { "#SBATCH \($0)\n" }.joined())
        # Task k runs shard k/\(tasks): the chains whose global index mod \(tasks) = k - 1.
        # A task that is requeued or resubmitted resumes its shard from its journal.
        # Exit 5 (an external generator failed some chains) still finished the shard: the
        # failures are in its journal, and the merge reports them and exits 5 itself.
        set -eu
        status=0
        \(shellQuote(binary)) run \(shellQuote(dir + "/slurm/config.yaml"))\(sets) --config-dir \(shellQuote(configDirectory)) \\
            --shard "${SLURM_ARRAY_TASK_ID}/\(tasks)" \\
            --out \(shellQuote(dir + "/shards/"))"${SLURM_ARRAY_TASK_ID}" \\
            --jobs "${SLURM_CPUS_PER_TASK:-1}" || status=$?
        if [ "$status" -eq 5 ]; then exit 0; fi
        exit "$status"

        """
    }

    var merge: String {
        let folders = (1...tasks).map { shellQuote("\(dir)/shards/\($0)") }.joined(separator: " ")
        return """
        #!/bin/bash
        #SBATCH --job-name=collapse-\(name)-merge
        #SBATCH --cpus-per-task=1
        #SBATCH --output=\(dir)/slurm/logs/merge.log
        \(header.map { "#SBATCH \($0)\n" }.joined())
        # Runs after every array task succeeded; writes the results into \(dir).
        set -eu
        exec \(shellQuote(binary)) merge \(folders) --out \(shellQuote(dir))

        """
    }

    var submit: String {
        """
        #!/bin/sh
        # Submits the array, then the merge job to run once every task succeeded.
        set -eu
        cd "$(dirname "$0")"
        array=$(sbatch --parsable array.sbatch)
        array=${array%%;*}
        merge=$(sbatch --parsable --dependency=afterok:"$array" merge.sbatch)
        echo "submitted array job $array (\(tasks) tasks) and merge job ${merge%%;*}"

        """
    }
}
