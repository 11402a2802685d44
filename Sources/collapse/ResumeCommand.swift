import Foundation

/// The command that resumes an interrupted run: this process's command line, every word
/// as given (the binary, the config path, `--out`, `--set`, `--shard`), run from the
/// directory it was started in, so its relative paths name the same files from any shell.
struct ResumeCommand {
    /// The command line, `argv[0]` first.
    let arguments: [String]
    /// The working directory the run was started in.
    let directory: String

    /// This process's.
    static var current: ResumeCommand {
        ResumeCommand(arguments: CommandLine.arguments, directory: FileManager.default.currentDirectoryPath)
    }

    /// `cd DIR && collapse run …`, quoted for a POSIX shell.
    var text: String {
        "cd \(shellQuote(directory)) && " + arguments.map(shellQuote).joined(separator: " ")
    }
}
