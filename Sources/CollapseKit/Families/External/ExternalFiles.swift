import Foundation

/// The training and output files of protocol 1 (docs/protocol.md): CSV with the real
/// data's header (`vector`: x1…xd), RFC 4180 quoting where a name or label needs it,
/// numbers in their shortest round-trip form. An output file is checked as it is read:
/// the header (the same names in the same order), the row count (exactly the `count`
/// asked for; blank lines are skipped), every numeric cell a finite number, and every
/// categorical cell a category the training file contains.
enum ExternalFiles {
    /// One column an output file must have: numeric, or categorical with the codes of
    /// the labels allowed (those the training file held).
    enum Column {
        case numeric
        case categorical([String: Int32])
    }

    /// Writes `bytes` to `path` (replacing it).
    static func write(_ bytes: [UInt8], to path: String) throws(GeneratorFailure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw GeneratorFailure(kind: .startFailed, detail: "cannot write \(path): \(String(cString: strerror(errno)))", stderrTail: [])
        }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw GeneratorFailure(kind: .startFailed, detail: "cannot write \(path): \(String(cString: strerror(errno)))", stderrTail: [])
            }
            offset += n
        }
    }

    /// A cell as CSV: quoted (quotes doubled) when it holds a comma, a quote, a line
    /// break or leading/trailing spaces.
    static func append(cell: String, to out: inout CSVBytes) {
        let needs = cell.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || cell.first == " " || cell.last == " "
        if needs {
            out.append("\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
        } else {
            out.append(cell)
        }
    }

    /// The header line of `names`.
    static func header(_ names: [String]) -> CSVBytes {
        var out = CSVBytes()
        for (j, name) in names.enumerated() {
            if j > 0 { out.append(byte: 0x2C) }
            append(cell: name, to: &out)
        }
        out.append(byte: 0x0A)
        return out
    }

    /// Training file of points: header x1…xd, one row per point.
    static func bytes(of data: Dataset) -> [UInt8] {
        let d = data.dimension
        var out = header((1...d).map { "x\($0)" })
        data.values.withUnsafeBufferPointer { v in
            for i in 0..<data.count {
                for j in 0..<d {
                    if j > 0 { out.append(byte: 0x2C) }
                    out.append(v[i * d + j])
                }
                out.append(byte: 0x0A)
            }
        }
        return out.bytes
    }

    /// Training file of a table: its header, a categorical cell as its level label.
    static func bytes(of table: MixedTable) -> [UInt8] {
        let schema = table.schema
        var out = header(schema.columns.map(\.name))
        for i in 0..<table.count {
            for (j, c) in schema.columns.enumerated() {
                if j > 0 { out.append(byte: 0x2C) }
                let s = schema.slot[j]
                if c.type == .numeric {
                    out.append(table.numeric[s][i])
                } else {
                    append(cell: c.levels[Int(table.categorical[s][i])], to: &out)
                }
            }
            out.append(byte: 0x0A)
        }
        return out.bytes
    }

    /// The labels of each categorical column's levels present in `table`, with their codes.
    static func presentCategories(_ table: MixedTable) -> [[String: Int32]] {
        zip(table.schema.categoricalColumns, table.categorical).map { j, codes in
            let levels = table.schema.columns[j].levels
            var seen = [Bool](repeating: false, count: levels.count)
            for c in codes { seen[Int(c)] = true }
            var out: [String: Int32] = [:]
            for (k, label) in levels.enumerated() where seen[k] { out[label] = Int32(k) }
            return out
        }
    }

    /// Reads and checks an output file: `names` in order, exactly `count` rows, the
    /// `columns`' cells valid. Returns the numeric columns' values and the categorical
    /// columns' codes, each in column order. Throws the first fault, naming the line.
    static func read(_ path: String, names: [String], columns: [Column], count: Int) throws(OutputProblem)
        -> (numeric: [[Double]], categorical: [[Int32]]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputProblem("the output file \(path) does not exist or cannot be read")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        bytes.append(0)  // strtod stops at the NUL after the last cell
        let numericCount = columns.filter { if case .numeric = $0 { true } else { false } }.count
        var numeric = [[Double]](repeating: [], count: numericCount)
        var categorical = [[Int32]](repeating: [], count: columns.count - numericCount)
        for j in numeric.indices { numeric[j].reserveCapacity(count) }
        var rows = 0
        try bytes.withUnsafeMutableBufferPointer { (buf: inout UnsafeMutableBufferPointer<UInt8>) throws(OutputProblem) in
            let end = buf.count - 1
            var at = 0, line = 0
            var header: [String]?
            while at < end {
                line += 1
                // A blank line (LF or CRLF) is skipped.
                if buf[at] == 0x0A { at += 1; continue }
                if buf[at] == 0x0D, at + 1 < end, buf[at + 1] == 0x0A { at += 2; continue }
                let isHeader = header == nil
                if isHeader { header = [] }
                var j = 0, ni = 0, ci = 0
                while true {
                    let quoted = buf[at] == 0x22
                    var cellEnd = at
                    var text: String?
                    if quoted {
                        var s: [UInt8] = []
                        var k = at + 1
                        let opened = line
                        while true {
                            guard k < end else { throw OutputProblem("line \(opened): a quoted cell is never closed") }
                            if buf[k] == 0x22 {
                                if k + 1 < end, buf[k + 1] == 0x22 { s.append(0x22); k += 2; continue }
                                k += 1
                                break
                            }
                            if buf[k] == 0x0A { line += 1 }
                            s.append(buf[k]); k += 1
                        }
                        cellEnd = k
                        text = String(decoding: s, as: UTF8.self)
                    } else {
                        while cellEnd < end, buf[cellEnd] != 0x2C, buf[cellEnd] != 0x0A { cellEnd += 1 }
                    }
                    let stop = cellEnd < end ? buf[cellEnd] : 0x0A
                    guard stop == 0x2C || stop == 0x0A || (stop == 0x0D && (cellEnd + 1 >= end || buf[cellEnd + 1] == 0x0A)) else {
                        throw OutputProblem("line \(line): text after a closing quote")
                    }
                    var rawEnd = cellEnd
                    if !quoted, rawEnd > at, buf[rawEnd - 1] == 0x0D { rawEnd -= 1 }
                    if isHeader {
                        header!.append(text ?? String(decoding: UnsafeBufferPointer(rebasing: buf[at..<rawEnd]), as: UTF8.self))
                    } else {
                        guard j < columns.count else {
                            throw OutputProblem("line \(line): more than the \(columns.count) cells of the header (\(names.joined(separator: ",")))")
                        }
                        switch columns[j] {
                        case .numeric:
                            var value = Double.nan
                            if let text {
                                guard let v = Double(text.trimmingCharacters(in: .whitespaces)) else {
                                    throw OutputProblem("line \(line), column \(names[j]): '\(text)' is not a number")
                                }
                                value = v
                            } else {
                                var parsedEnd: UnsafeMutablePointer<CChar>?
                                let start = UnsafeMutableRawPointer(buf.baseAddress! + at).assumingMemoryBound(to: CChar.self)
                                value = strtod(start, &parsedEnd)
                                let used = parsedEnd.map { UnsafeMutableRawPointer($0) - UnsafeMutableRawPointer(buf.baseAddress!) } ?? at
                                var trailing = used
                                while trailing < rawEnd, buf[trailing] == 0x20 || buf[trailing] == 0x09 { trailing += 1 }
                                guard rawEnd > at, used > at, trailing == rawEnd else {
                                    let cell = String(decoding: UnsafeBufferPointer(rebasing: buf[at..<rawEnd]), as: UTF8.self)
                                    throw OutputProblem("line \(line), column \(names[j]): '\(cell)' is not a number")
                                }
                            }
                            guard value.isFinite else {
                                throw OutputProblem("line \(line), column \(names[j]): \(NumberFormat.double(value)) is not a finite number")
                            }
                            numeric[ni].append(value)
                            ni += 1
                        case .categorical(let allowed):
                            let label = text ?? String(decoding: UnsafeBufferPointer(rebasing: buf[at..<rawEnd]), as: UTF8.self)
                            guard let code = allowed[label] else {
                                throw OutputProblem("line \(line), column \(names[j]): '\(label)' is not a category of the training file (it has \(allowed.keys.sorted().prefix(10).joined(separator: ", "))\(allowed.count > 10 ? ", …" : ""))")
                            }
                            categorical[ci].append(code)
                            ci += 1
                        }
                    }
                    j += 1
                    at = cellEnd + 1
                    if stop == 0x0D { at += 1 }
                    if stop != 0x2C { break }
                }
                if isHeader {
                    guard header! == names else {
                        throw OutputProblem("line \(line): the header is \(header!.joined(separator: ",")); expected \(names.joined(separator: ","))")
                    }
                    continue
                }
                guard j == columns.count else {
                    throw OutputProblem("line \(line): \(j) cells; expected \(columns.count), one per header name (\(names.joined(separator: ",")))")
                }
                rows += 1
                guard rows <= count else { throw OutputProblem("more than the \(count) rows asked for") }
            }
            if header == nil { throw OutputProblem("the output file \(path) is empty (no header)") }
        }
        guard rows == count else { throw OutputProblem("\(rows) rows; \(count) were asked for") }
        return (numeric, categorical)
    }
}

/// What is wrong with an output file (becomes an `invalid output` failure).
struct OutputProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
