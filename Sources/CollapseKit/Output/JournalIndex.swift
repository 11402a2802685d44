import Foundation
import Synchronization

/// Where every finished chain's journal record lives (file, offset, length), for the
/// journals of one or more run folders, without holding the records in memory: the
/// files are scanned once in 1 MiB pieces, and a record (or a slice of its values) is
/// read back with `pread(2)` when the result files are written. Memory is O(chains),
/// whatever the number of values. A record is indexed only if its header, length and
/// checksum are valid (``ChainJournal``); the first valid record of a chain wins, and
/// the bytes after a file's first invalid record count as ``ignoredBytes``.
/// Once built (``add(journalDirectory:duplicate:)`` done), it may be read from several
/// threads at once: reading is `pread` on descriptors that no longer change.
public final class JournalIndex: @unchecked Sendable {
    /// One record: the journal file (index into ``files``), its offset and its length.
    public struct Location: Equatable, Sendable {
        public var file: Int
        public var offset: Int
        public var length: Int
    }

    /// The journal files read, in the order they were added.
    public private(set) var files: [String] = []
    public private(set) var locations: [ChainKey: Location] = [:]
    /// Torn or corrupt bytes skipped.
    public private(set) var ignoredBytes = 0
    /// Who added each file (``add(journalDirectory:label:duplicate:)``'s `label`).
    public private(set) var labels: [String] = []
    /// Files opened for reading back, on first use (scanning closes its descriptor).
    private let descriptors = Mutex<[Int: Int32]>([:])

    public init() {}

    /// The index of the journal of the run folder `folder`.
    public convenience init(folder: URL) throws {
        self.init()
        try add(journalDirectory: RunState(folder: folder).journalDirectory, label: folder.path)
    }

    deinit { descriptors.withLock { for fd in $0.values { close(fd) } } }

    public var count: Int { locations.count }
    public subscript(key: ChainKey) -> Location? { locations[key] }
    public func contains(_ key: ChainKey) -> Bool { locations[key] != nil }

    /// Indexes the `*.chains` files of `directory` in name order (none when it does not
    /// exist), `label` naming where they came from (a run folder). A chain already
    /// indexed keeps its first record; `duplicate` sees (key, kept, other) for each
    /// later one.
    /// - Throws: ``OutputError/cannotRead(path:reason:)`` for a file that cannot be read.
    public func add(journalDirectory directory: URL, label: String,
                    duplicate: (ChainKey, Location, Location) -> Void = { _, _, _ in }) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".chains") }.sorted()
        for name in names {
            try add(file: directory.appendingPathComponent(name).path, label: label, duplicate: duplicate)
        }
    }

    /// Indexes one journal file (a run's own, once it has written it), as
    /// ``add(journalDirectory:label:duplicate:)`` does each of a folder's.
    public func add(file path: String, label: String,
                    duplicate: (ChainKey, Location, Location) -> Void = { _, _, _ in }) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw OutputError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let file = files.count
        files.append(path)
        labels.append(label)
        ignoredBytes += try scan(fd: fd, file: file, path: path, duplicate: duplicate)
    }

    /// Indexes a journal file this process has just written, from where it wrote each
    /// record (``JournalWriter/append(_:)``'s offsets and the records' lengths), without
    /// reading it back. A chain already indexed keeps its first record.
    public func add(written path: String, label: String, records: [(key: ChainKey, offset: Int, length: Int)]) {
        let file = files.count
        files.append(path)
        labels.append(label)
        for r in records where locations[r.key] == nil {
            locations[r.key] = Location(file: file, offset: r.offset, length: r.length)
        }
    }

    /// Reads the records of one file in order; returns the bytes after the last valid one.
    private func scan(fd: Int32, file: Int, path: String, duplicate: (ChainKey, Location, Location) -> Void) throws -> Int {
        var reader = SequentialReader(fd: fd)
        var at = 0
        let header = ChainJournal.headerSize
        while try reader.ensure(at, header, path: path) {
            let magicOK = reader.withBytes(at, 4) { $0.elementsEqual(ChainJournal.magic) }
            guard magicOK else { break }
            let length = Int(reader.withBytes(at + 4, 4) { ChainJournal.u32($0) })
            let sum = reader.withBytes(at + 8, 8) { ChainJournal.u64($0) }
            // A length past the end of the file is a torn or corrupt record (checked
            // before reading, so a corrupt length never makes a huge window).
            guard length >= 24, at + header + length <= reader.fileSize, try reader.ensure(at + header, length, path: path),
                  reader.withBytes(at + header, length, { ChainJournal.checksum($0) }) == sum else { break }
            let key = reader.withBytes(at + header, 16) {
                ChainKey(cell: ChainJournal.u64($0), replicate: Int(ChainJournal.u64($0.dropFirst(8))))
            }
            let location = Location(file: file, offset: at, length: header + length)
            if let kept = locations[key] { duplicate(key, kept, location) } else { locations[key] = location }
            at += header + length
        }
        return reader.fileSize - at
    }

    /// The whole record (header and payload) at `location`.
    public func record(at location: Location) throws -> [UInt8] {
        try read(file: location.file, offset: location.offset, count: location.length)
    }

    /// The chain recorded at `location`.
    public func chain(at location: Location) throws -> ChainResult {
        let bytes = try record(at: location)
        guard let chain = ChainJournal.decode(record: bytes[...]) else {
            throw OutputError.cannotRead(path: files[location.file], reason: "the journal record at byte \(location.offset) does not decode")
        }
        return chain
    }

    /// Values `range` (value indices) of the chain recorded at `location`, written to
    /// `into` (at least `range.count` long): one `pread`.
    public func readValues(at location: Location, range: Range<Int>, into: UnsafeMutableBufferPointer<Double>) throws {
        guard !range.isEmpty else { return }
        let offset = location.offset + ChainJournal.headerSize + 24 + range.lowerBound * 8
        try readRaw(file: location.file, offset: offset, into: UnsafeMutableRawBufferPointer(
            start: into.baseAddress, count: range.count * 8))
        // The journal is little-endian, as is every platform collapse builds on.
        if UInt64(1).littleEndian != 1 {
            for i in 0..<range.count { into[i] = Double(bitPattern: UInt64(littleEndian: into[i].bitPattern)) }
        }
    }

    private func read(file: Int, offset: Int, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try readRaw(file: file, offset: offset, into: $0) }
        return out
    }

    private func readRaw(file: Int, offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        let fd = try descriptor(file)
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw OutputError.cannotRead(path: files[file], reason: n == 0 ? "the journal file is shorter than its index"
                                                                                 : String(cString: strerror(errno)))
            }
            done += n
        }
    }

    /// The descriptor of `file`, opened on first use and kept until the index goes (a
    /// merge of many shards reads from each of their files in turn).
    private func descriptor(_ file: Int) throws -> Int32 {
        try descriptors.withLock { open -> Int32 in
            if let fd = open[file] { return fd }
            let fd = Foundation.open(files[file], O_RDONLY)
            guard fd >= 0 else { throw OutputError.cannotRead(path: files[file], reason: String(cString: strerror(errno))) }
            open[file] = fd
            return fd
        }
    }
}

/// Reads a file front to back through a window that grows to hold the largest record
/// asked for; offsets are from the start of the file.
private struct SequentialReader {
    let fd: Int32
    /// window[0..<filled] holds the file's bytes from offset `base`.
    private var window: [UInt8] = []
    private var filled = 0
    private var base = 0
    private var atEnd = false
    private(set) var fileSize = 0

    init(fd: Int32) {
        self.fd = fd
        var info = stat()
        fileSize = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
    }

    /// True when bytes [offset, offset + count) are in the window (reading more if
    /// needed), false at the end of the file.
    mutating func ensure(_ offset: Int, _ count: Int, path: String) throws -> Bool {
        while offset + count > base + filled {
            if atEnd { return false }
            // Move what lies from `offset` on to the front, make room for the record and
            // at least 1 MiB more, and read.
            let keep = max(0, base + filled - offset)
            if offset > base {
                window.withUnsafeMutableBytes { raw in
                    if keep > 0 { memmove(raw.baseAddress!, raw.baseAddress! + (offset - base), keep) }
                }
                filled = keep
                base = offset
            }
            let needed = max(count, filled + (1 << 20))
            if window.count < needed { window += [UInt8](repeating: 0, count: needed - window.count) }
            let n = window.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw OutputError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
            if n == 0 { atEnd = true } else { filled += n }
        }
        return true
    }

    func withBytes<T>(_ offset: Int, _ count: Int, _ body: (ArraySlice<UInt8>) -> T) -> T {
        body(window[(offset - base)..<(offset - base + count)])
    }
}
