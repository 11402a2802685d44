import CSV

/// A CSV file read into columns of raw cells: the first row is the header; RFC 4180
/// quoting (doubled quotes, separators and line breaks inside quotes), LF or CRLF line
/// endings and a UTF-8 byte-order mark are accepted; blank lines are skipped.
///
/// Parsing is yaslab/CSV.swift's; this type adds what a research table needs checked,
/// with the line each problem is on: an empty file, a header without rows, empty or
/// duplicate header names, ragged rows and an unterminated quote (which CSV.swift
/// would read silently to the end of the file).
public struct CSVTable: Sendable {
    public let header: [String]
    /// Column-major raw cells: `columns[j][i]` is row i's cell of column j.
    public let columns: [[String]]
    /// The 1-based file line each row starts on.
    public let lines: [Int32]

    public var rowCount: Int { lines.count }

    /// Parses `file`'s text, or throws naming the line and what is wrong.
    public static func parse(_ file: DataFile) throws(DataFile.Problem) -> CSVTable {
        let text = file.text
        let path = file.path
        if let (line, problem) = quoteProblem(text) {
            throw DataFile.Problem(value: "'\(path)' line \(line): \(problem)",
                                   allowed: "RFC 4180 quoting: a quoted cell closed by a quote followed by a comma or the end of the line; a quote inside it doubled (\"\")")
        }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: false) } catch {
            throw DataFile.Problem(value: "'\(path)': unreadable as CSV (\(error))", allowed: "a CSV file")
        }
        var line = 1
        var header: [String]?
        var columns: [[String]] = []
        var lines: [Int32] = []
        while let row = reader.next() {
            let start = line
            line += 1 + row.reduce(0) { $0 + $1.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
            if row.count == 1 && row[0].isEmpty { continue }
            guard let names = header else {
                try checkHeader(row, path: path, line: start)
                header = row
                columns = row.map { _ in [] }
                continue
            }
            guard row.count == names.count else {
                throw DataFile.Problem(value: "'\(path)' line \(start): \(row.count) cells",
                                       allowed: "\(names.count) cells in every row, one per header name (\(names.joined(separator: ", ")))")
            }
            for j in 0..<row.count { columns[j].append(row[j]) }
            lines.append(Int32(truncatingIfNeeded: start))
        }
        guard let header else {
            throw DataFile.Problem(value: "'\(path)', an empty file", allowed: "a CSV file with a header row and at least one data row")
        }
        if lines.isEmpty {
            throw DataFile.Problem(value: "'\(path)', a header without data rows", allowed: "a CSV file with at least one data row below the header")
        }
        return CSVTable(header: header, columns: columns, lines: lines)
    }

    static func checkHeader(_ names: [String], path: String, line: Int) throws(DataFile.Problem) {
        if let empty = names.firstIndex(where: { $0.trimmingSpaces.isEmpty }) {
            throw DataFile.Problem(value: "'\(path)' line \(line): header name \(empty + 1) is empty",
                                   allowed: "a header row naming every column")
        }
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            throw DataFile.Problem(value: "'\(path)' line \(line): header name '\(name)' appears twice",
                                   allowed: "distinct header names")
        }
    }

    /// The first quoting fault and its line, or nil: a quote that opens a quoted cell
    /// and is never closed, or text after a closing quote. Quotes open a quoted cell
    /// only at the start of a cell (RFC 4180, as CSV.swift reads them); a doubled quote
    /// inside one is an escaped quote.
    static func quoteProblem(_ text: String) -> (line: Int, problem: String)? {
        var inQuotes = false, atCellStart = true, line = 1, openedOn = 1
        var bytes = text.utf8.makeIterator()
        var pending: UInt8? = nil
        while let b = pending ?? bytes.next() {
            pending = nil
            if inQuotes {
                if b == 0x22 {
                    let next = bytes.next()
                    if next == 0x22 { continue }
                    if let next, next != 0x2C, next != 0x0A, next != 0x0D {
                        return (line, "text after the quote that closes a quoted cell")
                    }
                    inQuotes = false
                    atCellStart = false
                    pending = next
                } else if b == 0x0A { line += 1 }
                continue
            }
            switch b {
            case 0x22 where atCellStart:
                inQuotes = true
                openedOn = line
            case 0x2C: atCellStart = true
            case 0x0A:
                line += 1
                atCellStart = true
            case 0x0D: break
            default: atCellStart = false
            }
        }
        return inQuotes ? (openedOn, "a quote (\") that opens a cell and is never closed") : nil
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var s = self[...]
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
