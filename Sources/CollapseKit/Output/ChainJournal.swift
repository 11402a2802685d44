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
/// An event with a message (`generator_failed`) stores `kind NUL message` in the kind
/// field, so records without messages are unchanged.
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
        let kinds = chain.events.map { e in Array(e.kind.rawValue.utf8) + (e.message.map { [0] + Array($0.utf8) } ?? []) }
        let payloadSize = 32 + chain.values.count * 8 + kinds.reduce(0) { $0 + 16 + $1.count }
        var out = [UInt8](repeating: 0, count: headerSize + payloadSize)
        out.withUnsafeMutableBytes { raw in
            var at = 0
            func put(_ x: UInt64) {
                raw.storeBytes(of: x.littleEndian, toByteOffset: at, as: UInt64.self)
                at += 8
            }
            for (i, m) in magic.enumerated() { raw[i] = m }
            raw.storeBytes(of: UInt32(payloadSize).littleEndian, toByteOffset: 4, as: UInt32.self)
            at = headerSize
            put(cellKey)
            put(UInt64(chain.replicate))
            put(UInt64(chain.values.count))
            for v in chain.values { put(v.bitPattern) }
            put(UInt64(chain.events.count))
            for (e, kind) in zip(chain.events, kinds) {
                put(UInt64(e.generation))
                put(UInt64(kind.count))
                for byte in kind { raw[at] = byte; at += 1 }
            }
        }
        let sum = checksum(out[headerSize...])
        out.withUnsafeMutableBytes { $0.storeBytes(of: sum.littleEndian, toByteOffset: 8, as: UInt64.self) }
        return out
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 { Hashing.fnv1a64(bytes: bytes) }

    /// Decodes one whole record (header and payload), as ``JournalIndex`` reads it back,
    /// straight from its bytes; nil if it is malformed.
    public static func decode(record: ArraySlice<UInt8>) -> ChainResult? {
        record.withUnsafeBytes { raw -> ChainResult? in
            let size = raw.count
            guard size >= headerSize + 24 else { return nil }
            func word(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
            let replicate = Int(word(headerSize + 8))
            var at = headerSize + 16
            func next() -> UInt64? {
                guard at + 8 <= size else { return nil }
                defer { at += 8 }
                return word(at)
            }
            guard let count = next(), count <= UInt64((size - at) / 8) else { return nil }
            let n = Int(count)
            let first = at
            let values = [Double](unsafeUninitializedCapacity: n) { out, initialized in
                for i in 0..<n { out[i] = Double(bitPattern: word(first + 8 * i)) }
                initialized = n
            }
            at += 8 * n
            guard let eventCount = next(), eventCount <= UInt64(size) else { return nil }
            var events: [ChainEvent] = []
            for _ in 0..<eventCount {
                guard let g = next(), let length = next(), length <= UInt64(size - at) else { return nil }
                let field = raw[at..<(at + Int(length))]
                let nul = field.firstIndex(of: 0)
                guard let kind = ChainEvent.Kind(rawValue: String(decoding: field[..<(nul ?? field.endIndex)], as: UTF8.self))
                else { return nil }
                let message = nul.map { String(decoding: field[field.index(after: $0)...], as: UTF8.self) }
                at += Int(length)
                events.append(ChainEvent(kind: kind, replicate: replicate, generation: Int(g), message: message))
            }
            return ChainResult(replicate: replicate, values: values, events: events)
        }
    }

    /// The little-endian UInt64 at the start of `b`.
    static func u64(_ b: ArraySlice<UInt8>) -> UInt64 {
        var x: UInt64 = 0
        for i in (0..<8).reversed() { x = x << 8 | UInt64(b[b.startIndex + i]) }
        return x
    }

    /// The little-endian UInt32 at the start of `b`.
    static func u32(_ b: ArraySlice<UInt8>) -> UInt32 {
        var x: UInt32 = 0
        for i in (0..<4).reversed() { x = x << 8 | UInt32(b[b.startIndex + i]) }
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
    /// Bytes written so far: the offset of the next record.
    private var size = 0

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

    /// Appends `record`; returns the offset it starts at in the file.
    @discardableResult
    public func append(_ record: [UInt8]) throws -> Int {
        try lock.withLock {
            let ok = AtomicFile.writeAll(fd, record)
            guard ok else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            if Date().timeIntervalSince(lastSync) >= 1 {
                fsync(fd)
                lastSync = Date()
            }
            defer { size += record.count }
            return size
        }
    }

    public func close() {
        lock.withLock {
            fsync(fd)
            Foundation.close(fd)
        }
    }
}
