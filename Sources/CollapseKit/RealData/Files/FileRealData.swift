import Foundation

/// What a finite real dataset offers the size check: how many units (rows, or a
/// corpus's tokens) it holds, what a unit is called, and how many units one draw may
/// waste (a text draw cuts its last document).
public struct RealPopulation: Sendable, Equatable {
    public var units: Int
    public var unitName: String
    public var wastePerDraw: Int
    /// The file, for messages.
    public var file: String
}

/// Category tokens grouped in documents (a table column: one token per row), drawn by
/// the categorical family document by document without replacement.
public final class CategoryPopulation: Sendable {
    public let tokens: [Int32]
    /// Document d is tokens[starts[d]..<starts[d + 1]]; nil when each token is its own row.
    public let starts: [Int]?

    public init(tokens: [Int32], starts: [Int]?) {
        self.tokens = tokens
        self.starts = starts
    }

    /// Rows (or documents) a chain's pool draws from.
    public var documentCount: Int { starts.map { $0.count - 1 } ?? tokens.count }
    public var longestDocument: Int {
        guard let starts else { return 1 }
        return zip(starts.dropFirst(), starts).map { $0 - $1 }.max() ?? 0
    }

    /// `count` tokens: whole unused documents in pool order, the last one cut at `count`.
    public func draw(_ count: Int, pool: RowPool, stream: RandomStream) -> [Int32] {
        guard let starts else { return pool.take(count, stream: stream).map { tokens[$0] } }
        var out: [Int32] = []
        out.reserveCapacity(count)
        while out.count < count {
            let d = pool.takeOne(stream: stream)
            let end = min(starts[d + 1], starts[d] + count - out.count)
            out.append(contentsOf: tokens[starts[d]..<end])
        }
        return out
    }

    /// How many tokens fall in each of `categories` categories.
    public func counts(categories k: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: k)
        for t in tokens { counts[Int(t)] += 1 }
        return counts
    }

    /// Each category's share of the tokens, over `categories` categories.
    public func frequencies(categories k: Int) -> [Double] {
        counts(categories: k).map { Double($0) / Double(tokens.count) }
    }
}

/// A problem with real data for one family: the key, its value, and what is allowed.
public struct RealDataProblem: Sendable {
    public var key: String
    public var value: String
    public var allowed: String
}

extension ConfigReader {
    /// `file`, resolved against the config's folder and read; nil (with the error
    /// recorded) when it is missing or unreadable.
    func dataFile(_ key: String) -> (written: String, file: DataFile)? {
        guard let written = string(key) else { return nil }
        let url = URL(fileURLWithPath: written, relativeTo: URL(fileURLWithPath: baseDirectory, isDirectory: true))
        do {
            return (written, try DataFile.read(url.standardizedFileURL.path))
        } catch {
            fail(key, error.value, error.allowed)
            return nil
        }
    }

    /// `sha256`, optional: when given, the file's SHA-256 must equal it.
    func checkPinnedHash(_ file: DataFile) -> Bool {
        guard has("sha256") else { return true }
        guard let pinned = string("sha256") else { return false }
        if pinned.lowercased() != file.sha256 {
            fail("sha256", "'\(pinned)', but '\(file.path)' now has SHA-256 \(file.sha256)",
                 "the SHA-256 of the file the config was run with (the file has changed)")
            return false
        }
        return true
    }
}
