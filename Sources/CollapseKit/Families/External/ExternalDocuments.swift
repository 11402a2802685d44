import Foundation

/// The text files of protocol 1 (`data: text`, docs/protocol.md): one document per
/// line, UTF-8, `\n` line ends. A training file writes each document's tokens joined by
/// one space (`tokens: word`) or one after another (`tokens: character`), so the
/// corpus's tokenizer reads them back as the same tokens. An output file is read with
/// that tokenizer (after lowercasing when the corpus is lowercased) and checked: valid
/// UTF-8, exactly `count` lines (a blank line is a document without tokens; CRLF is
/// accepted), and every token one that occurs in this generation's training file.
struct ExternalDocuments {
    let vocabulary: [String]
    let tokens: TextRealData.Tokens
    let lowercase: Bool

    /// The training file of `data`.
    func bytes(of data: DocumentSample) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.tokens.count * 6)
        for d in 0..<data.count {
            for (k, t) in data.document(d).enumerated() {
                if k > 0, tokens == .word { out.append(0x20) }
                out.append(contentsOf: vocabulary[Int(t)].utf8)
            }
            out.append(0x0A)
        }
        return out
    }

    /// The token ids that occur in `data`, by token.
    func present(in data: DocumentSample) -> [String: Int32] {
        var seen = [Bool](repeating: false, count: vocabulary.count)
        for t in data.tokens { seen[Int(t)] = true }
        var out: [String: Int32] = [:]
        for (id, token) in vocabulary.enumerated() where seen[id] { out[token] = Int32(id) }
        return out
    }

    /// Reads and checks the output file at `path`; throws the first fault, naming the line.
    func read(_ path: String, count: Int, allowed: [String: Int32]) throws(OutputProblem) -> DocumentSample {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputProblem("the output file \(path) does not exist or cannot be read")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw OutputProblem("the output file is not valid UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }  // the last line's own line end
        guard lines.count == count else {
            throw OutputProblem("\(lines.count) documents (lines), \(count) asked for")
        }
        var ids: [Int32] = [], starts = [0]
        starts.reserveCapacity(count + 1)
        for (i, raw) in lines.enumerated() {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            for token in TextRealData.tokenize(lowercase ? line.lowercased() : line, tokens) {
                guard let id = allowed[token] else {
                    throw OutputProblem("line \(i + 1): the token '\(token)' does not occur in the training file")
                }
                ids.append(id)
            }
            starts.append(ids.count)
        }
        return DocumentSample(tokens: ids, starts: starts)
    }
}

/// `model.family: external` with `data: text`: a program fitted to documents of a text
/// corpus (`real.distribution: text`), one document per line. The model is the
/// documents it wrote; metrics: the text metrics of the batch (``TextMetrics``:
/// `vocabulary_retained`, `distinct_2`, `zipf_exponent`, `unigram_tv`, `mean_length`).
/// It has no density, so no `perplexity_heldout`.
public struct ExternalTextFamily: DocumentFamily {
    public typealias Model = ExternalModel<DocumentSample>

    public let corpus: CategoryPopulation
    public let vocabularySize: Int
    let files: ExternalDocuments
    public let generator: ExternalGenerator

    public init(text: TextRealData, generator: ExternalGenerator) {
        corpus = text.corpus
        vocabularySize = text.vocabulary.count
        files = ExternalDocuments(vocabulary: text.vocabulary, tokens: text.tokens, lowercase: text.lowercase)
        self.generator = generator
    }

    /// Outside a chain (no chain to name): chain "-0", generation 0.
    public func fit(_ data: DocumentSample, stream: RandomStream) -> Model {
        fit(data, stream: stream, chain: ChainIdentity(cell: "-", replicate: 0, generation: 0))
    }

    public func fit(_ data: DocumentSample, stream: RandomStream, chain: ChainIdentity) -> Model {
        let allowed = files.present(in: data), files = self.files, count = generator.count
        let result = generator.fitSample(training: files.bytes(of: data), fileExtension: "txt", chain: chain, stream: stream) {
            (path) throws(OutputProblem) -> DocumentSample in try files.read(path, count: count, allowed: allowed)
        }
        switch result {
        case .success(let rows): return Model(rows: rows, failure: nil)
        case .failure(let f): return Model(rows: nil, failure: f)
        }
    }

    public func diagnose(_ model: Model) -> [ChainEvent.Kind] { model.failure == nil ? [] : [.generatorFailed] }
    public func failureMessage(_ model: Model) -> String? { model.failure?.description }

    public func sample(_ model: Model, count: Int, truth: RowPool, stream: RandomStream) -> DocumentSample {
        let rows = model.rows!
        precondition(count <= rows.count, "an external generator wrote \(rows.count) documents; \(count) asked for")
        return count == rows.count ? rows : rows.prefix(count)
    }

    public static func metrics(real: RealDataConfig) -> [Metric<ExternalTextFamily>] {
        TextMetrics.batchMetrics().sorted { $0.name < $1.name }
    }
}
