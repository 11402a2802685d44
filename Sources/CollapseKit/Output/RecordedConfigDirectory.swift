import Foundation

/// The folder a results folder's config read its relative paths from (`real.file`),
/// found again when the results are read back (`report`, `theory`, `export`, `merge`).
/// The manifest and `run.json` record it as an absolute path (`config_directory`). When
/// that folder no longer exists (the project was cloned or moved, or the run was made
/// in another checkout), the folder of the same name beside the results folder or one
/// of its ancestors is used: results in `…/results/NAME` of a project find
/// `…/experiments`. A wrong guess cannot pass unnoticed: the file's SHA-256 is in the
/// config, so the rebuilt experiment's `config_hash` would differ and be refused.
public enum RecordedConfigDirectory {
    public static func resolve(_ recorded: String?, resultsFolder: URL) -> String {
        guard let recorded else { return resultsFolder.path }
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: recorded, isDirectory: &isDir), isDir.boolValue { return recorded }
        let name = URL(fileURLWithPath: recorded).lastPathComponent
        var ancestor = resultsFolder.standardizedFileURL
        while ancestor.path != "/" {
            ancestor = ancestor.deletingLastPathComponent()
            let candidate = ancestor.appendingPathComponent(name)
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue { return candidate.path }
        }
        return recorded
    }
}
