import Foundation

/// Writes a file so that readers see either the old contents or the new, never a
/// torn file: write a temporary file in the same folder, flush it to disk, rename.
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw OutputError.cannotWrite(path: temp.path, reason: String(cString: strerror(errno))) }
        let ok = writeAll(fd, Array(text.utf8)) && fsync(fd) == 0
        close(fd)
        guard ok, rename(temp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp.path)
            throw OutputError.cannotWrite(path: url.path, reason: reason)
        }
    }

    /// Writes every byte of `bytes` to `fd` (retrying short writes); false on an error.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buf -> Bool in
            var offset = 0
            while offset < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }
}

extension AtomicFile {
    /// A file written in pieces and published atomically by ``commit()``: the pieces go
    /// to a temporary file in the same folder, which is `fsync`ed and renamed.
    public final class Stream: TableSink {
        private let url: URL
        private let temp: URL
        private let fd: Int32
        private var buffer = CSVBytes()
        /// Set once the file is published or discarded (and its descriptor closed).
        private var done = false

        public init(_ url: URL) throws {
            self.url = url
            temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
            fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw OutputError.cannotWrite(path: temp.path, reason: String(cString: strerror(errno))) }
        }

        public func write(_ text: String) throws {
            buffer.append(text)
            if buffer.isFull { try flush() }
        }

        public func write(_ text: inout CSVBytes) throws {
            try write(bytes: text.bytes)
            text.removeAll()
        }

        /// Writes raw bytes (already encoded: CSV text, or a gzip stream's output).
        public func write(bytes: [UInt8]) throws {
            if buffer.count > 0 { try flush() }
            try writeAll(bytes)
        }

        private func flush() throws {
            try writeAll(buffer.bytes)
            buffer.removeAll()
        }

        private func writeAll(_ bytes: [UInt8]) throws {
            guard AtomicFile.writeAll(fd, bytes) else {
                throw OutputError.cannotWrite(path: temp.path, reason: String(cString: strerror(errno)))
            }
        }

        /// Removes the temporary file without publishing it (after an error); nothing
        /// once the file was published.
        public func discard() {
            guard !done else { return }
            done = true
            close(fd)
            unlink(temp.path)
        }

        /// A stream dropped without ``commit()`` leaves no temporary file behind.
        deinit { discard() }

        public func commit() throws {
            try flush()
            let synced = fsync(fd) == 0
            done = true
            guard close(fd) == 0, synced else {
                let reason = String(cString: strerror(errno))
                unlink(temp.path)
                throw OutputError.cannotWrite(path: temp.path, reason: reason)
            }
            guard rename(temp.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temp.path)
                throw OutputError.cannotWrite(path: url.path, reason: reason)
            }
        }
    }
}

/// Problems with the output folder; each says what to do.
public enum OutputError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case notADirectory(path: String)
    case foreignFolder(path: String)
    case differentConfig(path: String, existing: String, requested: String)
    case differentShard(path: String, existing: String, requested: String)
    case busy(path: String)
    /// `--out` holds `shards/`, but `entry` in it is not a run folder.
    case foreignShardsFolder(path: String, entry: String)
    /// `--out` holds `shards/`, and the run folder `shard` in it is of another config.
    case shardOfDifferentConfig(path: String, shard: String, existing: String, requested: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .cannotRead(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .notADirectory(let path):
            return "--out \(path): exists and is not a folder; choose another --out"
        case .foreignFolder(let path):
            return "--out \(path): the folder is not empty and holds no collapse manifest.json; choose another --out (nothing was written)"
        case .differentConfig(let path, let existing, let requested):
            return "--out \(path): holds results of a different config (config_hash \(existing), this config \(requested)); choose another --out or remove the folder (nothing was written)"
        case .differentShard(let path, let existing, let requested):
            return "--out \(path): holds \(existing) of this config, not \(requested); give each shard its own --out (nothing was written)"
        case .busy(let path):
            return "--out \(path): another collapse process is writing to this folder; wait for it or choose another --out"
        case .foreignShardsFolder(let path, let entry):
            return "--out \(path): \(entry) is not a collapse run folder (no .collapse/run.json), so \(path)/shards is not the shard folders of one run; choose another --out (nothing was written)"
        case .shardOfDifferentConfig(let path, let shard, let existing, let requested):
            return "--out \(path): its shard folder \(shard) holds a different config (config_hash \(existing), this config \(requested)); choose another --out or remove that shard folder (nothing was written)"
        }
    }
}
