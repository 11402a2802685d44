/// The bytes of CSV text being built: rows are appended as UTF-8 straight into one
/// growable buffer (no intermediate strings for integers), and a writer takes the
/// buffer from time to time (``TableSink``), so a table of any size is produced in
/// pieces of about ``flushSize`` bytes.
public struct CSVBytes: TextOutputStream {
    public private(set) var bytes: [UInt8] = []
    /// The size at which writers hand the buffer to their sink.
    public static let flushSize = 1 << 20

    public init() { bytes.reserveCapacity(Self.flushSize + 4096) }

    public var count: Int { bytes.count }
    public var isFull: Bool { bytes.count >= Self.flushSize }

    public mutating func write(_ text: String) { append(text) }

    /// What `Double.write(to:)` calls with its digits.
    public mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ bytes: [UInt8]) { self.bytes.append(contentsOf: bytes) }

    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes.append(contentsOf: bytes) }

    public mutating func append(byte: UInt8) { bytes.append(byte) }

    /// A non-negative or negative integer in decimal.
    public mutating func append(_ x: Int) {
        if x < 0 {
            bytes.append(UInt8(ascii: "-"))
            append(UInt64(x.magnitude))
        } else {
            append(UInt64(x))
        }
    }

    private mutating func append(_ x: UInt64) {
        let start = bytes.count
        var v = x
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        bytes[start...].reverse()
    }

    /// A value as ``NumberFormat/double(_:)`` writes it. A finite non-integral value is
    /// written by `Double.write(to:)`, which hands its shortest round-trip digits (those
    /// of `description`) to ``_writeASCII(_:)`` from a stack buffer: no string is made.
    public mutating func append(_ x: Double) {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 {
            append(x == 0 ? 0 : Int(x))  // also maps −0 to 0
        } else if x.isFinite {
            x.write(to: &self)
        } else {
            append(NumberFormat.double(x))
        }
    }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
}

/// Where the bytes of a table go as they are produced: a plain file, a gzip stream or
/// nowhere (``output.metrics_file: none``). Published only by ``commit()``.
public protocol TableSink: AnyObject {
    /// Writes `text`'s bytes and empties it.
    func write(_ text: inout CSVBytes) throws
    func commit() throws
    /// Removes whatever was written, without publishing it (after an error).
    func discard()
}
