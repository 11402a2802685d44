import Crypto
import Foundation

/// A data file's bytes as text: read, checked to be UTF-8 (a leading byte-order mark
/// is dropped), with the SHA-256 of its bytes, which pins the file in `config_hash`.
/// What is parsed from it is cached by that SHA-256 (``ParsedFiles``), so the cells of
/// a sweep parse a file once while a changed file is always seen.
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
        let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        guard let text = String(validating: body, as: UTF8.self) else {
            throw Problem(value: "'\(path)', which is not valid UTF-8 (first bad byte on line \(firstInvalidLine(body)))",
                          allowed: "a UTF-8 text file")
        }
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

}

/// Values parsed from data files, by a key that starts with the file's SHA-256 and
/// names what was parsed (columns, types, tokenization): the cells of a sweep share
/// one parse.
final class ParsedFiles: @unchecked Sendable {
    static let shared = ParsedFiles()
    private let lock = NSLock()
    private var values: [String: any Sendable] = [:]

    /// The cached value for `key`, or `make()`'s (cached when it succeeds).
    func value<T: Sendable, E: Error>(_ key: String, _ make: () throws(E) -> T) throws(E) -> T {
        if let v = lock.withLock({ values[key] }) as? T { return v }
        let v = try make()
        lock.withLock { values[key] = v }
        return v
    }
}
