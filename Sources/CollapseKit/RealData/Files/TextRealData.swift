/// `real.distribution: text` — a text corpus: one document per line (`unit: line`) or
/// per blank-line-separated paragraph (`unit: paragraph`), split into `word` tokens
/// (runs of letters, digits and apostrophes; every other non-space character is a
/// token of its own) or `character` tokens (every character, line breaks inside a
/// paragraph read as spaces), after `lowercase` when set. Blank documents are skipped.
///
/// The categorical family fits the corpus's token frequencies (the unigram model);
/// its observation is a token, so `samples` counts tokens, taken from whole documents
/// drawn without replacement, the last one cut at the count.
public struct TextRealData: RealDataSpec {
    public enum Unit: String, CaseIterable, Sendable { case line, paragraph }
    public enum Tokens: String, CaseIterable, Sendable { case word, character }

    public let file: String
    public let sha256: String
    public let path: String
    public let unit: Unit
    public let tokens: Tokens
    public let lowercase: Bool
    /// Token types, most frequent first (ties in string order).
    public let vocabulary: [String]
    public let corpus: CategoryPopulation
    /// `unit: line` only: the blank lines before the file's last document (documents
    /// without tokens, which are skipped), their number and the first one's line; nil
    /// when there are none. Trailing blank lines do not count.
    public let emptyDocuments: (count: Int, firstLine: Int)?

    public var kind: String { "text" }
    public var dimension: Int { 1 }
    public var jsonEntries: [String: JSONValue] {
        ["file": .string(file), "unit": .string(unit.rawValue), "tokens": .string(tokens.rawValue),
         "lowercase": .bool(lowercase), "sha256": .string(sha256)]
    }

    public var probabilities: [Double]? { corpus.frequencies(categories: vocabulary.count) }
    public var categoryPopulation: CategoryPopulation? { corpus }
    public var population: RealPopulation? {
        RealPopulation(units: corpus.tokens.count, unitName: "tokens", wastePerDraw: max(corpus.longestDocument - 1, 0),
                       file: path)
    }

    /// The corpus counted in documents, for the families whose observation is a
    /// document (``DocumentFamily``).
    public var documentPopulation: RealPopulation {
        RealPopulation(units: corpus.documentCount, unitName: "documents", wastePerDraw: 0, file: path)
    }

    public var manifestEntry: JSONValue? {
        .map(["file": .string(file), "path": .string(path), "sha256": .string(sha256),
              "documents": .int(corpus.documentCount), "tokens": .int(corpus.tokens.count),
              "token_types": .int(vocabulary.count)])
    }

    public var categoriesProblem: RealDataProblem? {
        vocabulary.count >= 2 ? nil
            : RealDataProblem(key: "file", value: "'\(path)' with \(vocabulary.count) token type\(vocabulary.count == 1 ? "" : "s")",
                              allowed: "a corpus with at least two distinct tokens (a categorical model needs two)")
    }

    /// The vocabulary (most frequent first, ties in string order) and the documents as
    /// token indices.
    static func corpus(_ text: String, unit: Unit, tokens: Tokens, lowercase: Bool) -> ([String], CategoryPopulation) {
        let parsed = parse(text, unit: unit, tokens: tokens, lowercase: lowercase)
        return (parsed.vocabulary, parsed.corpus)
    }

    /// A parsed corpus (cached by the file's SHA-256 and the tokenization).
    struct Parsed: Sendable {
        var vocabulary: [String]
        var corpus: CategoryPopulation
        var emptyCount: Int
        var firstEmptyLine: Int
    }

    static func parse(_ text: String, unit: Unit, tokens: Tokens, lowercase: Bool) -> Parsed {
        var empty: [Int] = []
        let documents = Self.documents(text, unit: unit, tokens: tokens, lowercase: lowercase, emptyLines: &empty)
        var counts: [String: Int] = [:]
        for d in documents { for t in d { counts[t, default: 0] += 1 } }
        let vocabulary = counts.keys.sorted { counts[$0]! > counts[$1]! || (counts[$0]! == counts[$1]! && $0 < $1) }
        var index: [String: Int32] = [:]
        for (k, t) in vocabulary.enumerated() { index[t] = Int32(k) }
        var flat: [Int32] = [], starts = [0]
        for d in documents {
            flat.append(contentsOf: d.map { index[$0]! })
            starts.append(flat.count)
        }
        return Parsed(vocabulary: vocabulary, corpus: CategoryPopulation(tokens: flat, starts: starts),
                      emptyCount: empty.count, firstEmptyLine: empty.first ?? 0)
    }

    /// The documents of `text` as token lists.
    static func documents(_ text: String, unit: Unit, tokens: Tokens, lowercase: Bool) -> [[String]] {
        var empty: [Int] = []
        return documents(text, unit: unit, tokens: tokens, lowercase: lowercase, emptyLines: &empty)
    }

    /// The documents of `text` as token lists; `emptyLines` gets the 1-based lines of the
    /// documents without tokens that come before the last document (`unit: line`).
    static func documents(_ text: String, unit: Unit, tokens: Tokens, lowercase: Bool,
                          emptyLines: inout [Int]) -> [[String]] {
        let body = lowercase ? text.lowercased() : text
        // "\r\n" is one Character in Swift: split on it as well as on "\n".
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        var documents: [String] = []
        switch unit {
        case .line:
            documents = lines.map(String.init)
        case .paragraph:
            var current: [Substring] = []
            for line in lines {
                if line.allSatisfy(\.isWhitespace) {
                    if !current.isEmpty { documents.append(current.joined(separator: "\n")) }
                    current = []
                } else {
                    current.append(line)
                }
            }
            if !current.isEmpty { documents.append(current.joined(separator: "\n")) }
        }
        let tokenized = documents.map { tokenize($0, tokens) }
        if unit == .line, let last = tokenized.lastIndex(where: { !$0.isEmpty }) {
            emptyLines = tokenized[..<last].indices.filter { tokenized[$0].isEmpty }.map { $0 + 1 }
        }
        return tokenized.filter { !$0.isEmpty }
    }

    static func tokenize(_ document: String, _ tokens: Tokens) -> [String] {
        switch tokens {
        case .character:
            let flat = document.map { $0.isNewline ? " " : $0 }
            var chars = flat[...]
            while let c = chars.first, c.isWhitespace { chars = chars.dropFirst() }
            while let c = chars.last, c.isWhitespace { chars = chars.dropLast() }
            return chars.map { String($0) }
        case .word:
            var out: [String] = [], word = ""
            for c in document {
                if c.isLetter || c.isNumber || c == "'" || c == "’" {
                    word.append(c)
                    continue
                }
                if !word.isEmpty { out.append(word); word = "" }
                if !c.isWhitespace { out.append(String(c)) }
            }
            if !word.isEmpty { out.append(word) }
            return out
        }
    }

    /// The kind's config name and parser (registered in ``Registry/standard``).
    public struct Kind: RealDataKind {
        public init() {}
        public var name: String { "text" }

        public func parse(_ r: ConfigReader) -> (any RealDataSpec)? {
            let file = r.dataFile("file")
            let unit = r.string("unit", default: "line", oneOf: Unit.allCases.map(\.rawValue)).flatMap(Unit.init)
            let tokens = r.string("tokens", default: "word", oneOf: Tokens.allCases.map(\.rawValue)).flatMap(Tokens.init)
            var lowercase: Bool? = false
            if let v = r.raw("lowercase") {
                if case .bool(let b) = v { lowercase = b } else {
                    r.fail("lowercase", v.shortDescription, "true or false")
                    lowercase = nil
                }
            }
            let pinned = file.map { r.checkPinnedHash($0.file) } ?? { _ = r.raw("sha256"); return true }()
            r.finish(allowedKeys: ["distribution", "file", "unit", "tokens", "lowercase", "sha256"])
            guard let file, pinned, let unit, let tokens, let lowercase else { return nil }
            let key = "text:\(file.file.sha256):\(unit):\(tokens):\(lowercase)"
            let parsed = ParsedFiles.shared.value(key) {
                TextRealData.parse(file.file.text, unit: unit, tokens: tokens, lowercase: lowercase)
            }
            let corpus = parsed.corpus
            guard corpus.documentCount > 0 else {
                r.fail("file", "'\(file.file.path)', which holds no \(unit == .line ? "non-blank line" : "paragraph")",
                       "a text file with at least one document")
                return nil
            }
            return TextRealData(file: file.written, sha256: file.file.sha256, path: file.file.path, unit: unit,
                                tokens: tokens, lowercase: lowercase, vocabulary: parsed.vocabulary, corpus: corpus,
                                emptyDocuments: parsed.emptyCount > 0 ? (parsed.emptyCount, parsed.firstEmptyLine) : nil)
        }
    }
}
