import Foundation

/// The append-only record of finished chains that makes a run resumable.
///
/// Each run attempt appends to its own file `.collapse/journal/NNNNNN.chains` inside the
/// output folder. A record is one finished chain:
///
/// ```
/// header : "CLCH" (4 bytes) · payload length (UInt32) · FNV-1a 64 of the payload (UInt64)
/// payload: cell key (UInt64) · replicate (UInt64) · value count (UInt64) · values (Float64 bits)
///          · event count (UInt64) · per event: generation (UInt64), kind length (UInt64), kind (UTF-8)
/// ```
///
/// all little-endian. A record is written with one `write(2)`, so a process killed at
/// any moment (SIGKILL included) leaves at most one torn record at the end of its file;
/// the reader stops at the first record whose header, length or checksum does not
/// match, so torn data is ignored and the chain simply runs again. Files are
/// `fsync`ed at most once per second while running and when the run ends.
public enum ChainJournal {
    static let magic: [UInt8] = Array("CLCH".utf8)
    static let headerSize = 16

    /// Encodes one chain as a record.
    public static func record(cellKey: UInt64, chain: ChainResult) -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(32 + chain.values.count * 8)
        func put(_ x: UInt64) { withUnsafeBytes(of: x.littleEndian) { payload.append(contentsOf: $0) } }
        put(cellKey)
        put(UInt64(chain.replicate))
        put(UInt64(chain.values.count))
        for v in chain.values { put(v.bitPattern) }
        put(UInt64(chain.events.count))
        for e in chain.events {
            put(UInt64(e.generation))
            let kind = Array(e.kind.rawValue.utf8)
            put(UInt64(kind.count))
            payload.append(contentsOf: kind)
        }
        var out = magic
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: checksum(payload[...]).littleEndian) { out.append(contentsOf: $0) }
        return out + payload
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 { Hashing.fnv1a64(bytes: bytes) }

    /// A valid record found in a journal file.
    public struct Entry: Sendable {
        public var cellKey: UInt64
        public var replicate: Int
        /// The whole record (header + payload), for copying into a merged journal.
        public var bytes: ArraySlice<UInt8>
    }

    /// The valid records of one file, in file order, and how many trailing bytes were
    /// ignored (a torn or corrupt tail).
    public static func read(_ bytes: [UInt8]) -> (entries: [Entry], ignoredBytes: Int) {
        var entries: [Entry] = []
        var at = 0
        while at + headerSize <= bytes.count {
            guard Array(bytes[at..<(at + 4)]) == magic else { break }
            let length = Int(u32(bytes, at + 4))
            let sum = u64(bytes, at + 8)
            let start = at + headerSize
            guard length >= 24, start + length <= bytes.count,
                  checksum(bytes[start..<(start + length)]) == sum else { break }
            entries.append(Entry(cellKey: u64(bytes, start), replicate: Int(u64(bytes, start + 8)),
                                 bytes: bytes[at..<(start + length)]))
            at = start + length
        }
        return (entries, bytes.count - at)
    }

    /// Decodes a record returned by ``read(_:)``.
    public static func decode(_ entry: Entry) -> ChainResult? {
        let b = Array(entry.bytes)
        var at = headerSize + 16
        func next() -> UInt64? {
            guard at + 8 <= b.count else { return nil }
            defer { at += 8 }
            return u64(b, at)
        }
        guard let count = next(), count <= UInt64(b.count / 8) else { return nil }
        var values: [Double] = []
        values.reserveCapacity(Int(count))
        for _ in 0..<count { guard let bits = next() else { return nil }; values.append(Double(bitPattern: bits)) }
        guard let eventCount = next(), eventCount <= UInt64(b.count) else { return nil }
        var events: [ChainEvent] = []
        for _ in 0..<eventCount {
            guard let g = next(), let n = next(), at + Int(n) <= b.count,
                  let kind = ChainEvent.Kind(rawValue: String(decoding: b[at..<(at + Int(n))], as: UTF8.self))
            else { return nil }
            at += Int(n)
            events.append(ChainEvent(kind: kind, replicate: entry.replicate, generation: Int(g)))
        }
        return ChainResult(replicate: entry.replicate, values: values, events: events)
    }

    private static func u64(_ b: [UInt8], _ at: Int) -> UInt64 {
        var x: UInt64 = 0
        for i in (0..<8).reversed() { x = x << 8 | UInt64(b[at + i]) }
        return x
    }

    private static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        var x: UInt32 = 0
        for i in (0..<4).reversed() { x = x << 8 | UInt32(b[at + i]) }
        return x
    }
}

/// Appends records to one journal file; thread-safe. Each record goes out in a single
/// `write(2)`; the file is `fsync`ed at most once a second and on ``close()``.
public final class JournalWriter: @unchecked Sendable {
    private let fd: Int32
    public let path: String
    private let lock = NSLock()
    private var lastSync = Date()

    /// Creates the next journal file in `directory` (never reuses an existing one).
    public init(directory: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let existing = (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
        var n = existing.compactMap { Int($0.split(separator: ".").first ?? "") }.max() ?? 0
        var opened: Int32 = -1
        var candidate = ""
        repeat {
            n += 1
            candidate = directory.appendingPathComponent(String(format: "%06d.chains", n)).path
            opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0o644)
        } while opened < 0 && errno == EEXIST
        guard opened >= 0 else { throw OutputError.cannotWrite(path: candidate, reason: String(cString: strerror(errno))) }
        fd = opened
        path = candidate
    }

    public func append(_ record: [UInt8]) throws {
        try lock.withLock {
            let ok = record.withUnsafeBytes { buf -> Bool in
                var offset = 0
                while offset < buf.count {
                    let n = write(fd, buf.baseAddress! + offset, buf.count - offset)
                    if n <= 0 { return false }
                    offset += n
                }
                return true
            }
            guard ok else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            if Date().timeIntervalSince(lastSync) >= 1 {
                fsync(fd)
                lastSync = Date()
            }
        }
    }

    public func close() {
        lock.withLock {
            fsync(fd)
            Foundation.close(fd)
        }
    }
}
