import Foundation

/// Writes a file so that readers see either the old contents or the new, never a
/// torn file: write a temporary file in the same folder, flush it to disk, rename.
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let data = Data(text.utf8)
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw OutputError.cannotWrite(path: temp.path, reason: String(cString: strerror(errno))) }
        var ok = data.withUnsafeBytes { buf -> Bool in
            var offset = 0
            while offset < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp.path)
            throw OutputError.cannotWrite(path: url.path, reason: reason)
        }
    }
}

/// Problems with the output folder; each says what to do.
public enum OutputError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(path: String, reason: String)
    case notADirectory(path: String)
    case foreignFolder(path: String)
    case differentConfig(path: String, existing: String, requested: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .notADirectory(let path):
            return "--out \(path): exists and is not a folder; choose another --out"
        case .foreignFolder(let path):
            return "--out \(path): the folder is not empty and holds no collapse manifest.json; choose another --out (nothing was written)"
        case .differentConfig(let path, let existing, let requested):
            return "--out \(path): holds results of a different config (config_hash \(existing), this config \(requested)); choose another --out or remove the folder (nothing was written)"
        }
    }
}
