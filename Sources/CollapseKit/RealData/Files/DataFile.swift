import Crypto
import Foundation

/// A data file's bytes as text: read once, checked to be UTF-8 (a leading byte-order
/// mark is dropped), with the SHA-256 of its bytes, which pins the file in
/// `config_hash`. Decoded files are cached by content (their SHA-256), so the cells of a
/// sweep decode and parse a file once while a changed file is always seen.
public struct DataFile: Sendable {
    /// The path as resolved (absolute).
    public let path: String
    /// Lower-case hex SHA-256 of the file's bytes.
    public let sha256: String
    /// The text, without a UTF-8 byte-order mark.
    public let text: String

    /// A file problem: the value and what is allowed, for a ``ConfigError`` on `real.file`.
    public struct Problem: Error, Sendable {
        public let value: String
        public let allowed: String
    }

    /// Reads `path`, or throws naming what is wrong with it.
    public static func read(_ path: String) throws(Problem) -> DataFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Problem(value: "'\(path)', which does not exist", allowed: "the path of a readable file (relative paths start at the config file's folder)")
        }
        if isDirectory.boolValue {
            throw Problem(value: "'\(path)', a folder", allowed: "the path of a file, not a folder")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(value: "'\(path)', which cannot be read", allowed: "a file this user may read")
        }
        return try decode(data, path: path)
    }

    /// The file of these bytes (for tests and for ``read(_:)``).
    public static func decode(_ data: Data, path: String) throws(Problem) -> DataFile {
        let digest = sha256(data)
        if let cached = cache.lookup(digest) { return DataFile(path: path, sha256: digest, text: cached) }
        let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        guard let text = String(validating: body, as: UTF8.self) else {
            throw Problem(value: "'\(path)', which is not valid UTF-8 (first bad byte on line \(firstInvalidLine(body)))",
                          allowed: "a UTF-8 text file")
        }
        cache.store(text, sha256: digest)
        return DataFile(path: path, sha256: digest, text: text)
    }

    /// Lower-case hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The 1-based line holding the first byte that breaks UTF-8.
    static func firstInvalidLine(_ bytes: Data.SubSequence) -> Int {
        var line = 1, start = bytes.startIndex
        for (i, b) in zip(bytes.indices, bytes) where b == 0x0A {
            if String(validating: bytes[start...i], as: UTF8.self) == nil { return line }
            line += 1
            start = bytes.index(after: i)
        }
        return line
    }

    private static let cache = Cache()

    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var texts: [String: String] = [:]

        func lookup(_ sha256: String) -> String? { lock.withLock { texts[sha256] } }
        func store(_ text: String, sha256: String) { lock.withLock { texts[sha256] = text } }
    }
}
