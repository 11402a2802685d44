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
        appendWritten(maximum: ByteWriter.maximumInteger) { ByteWriter.writing(into: $0) { $0.write(x) } }
    }

    /// A value as ``NumberFormat/double(_:)`` writes it (``ByteWriter/write(_:)-(Double)``).
    public mutating func append(_ x: Double) {
        appendWritten(maximum: ByteWriter.maximumDouble) { ByteWriter.writing(into: $0) { $0.write(x) } }
    }

    /// Appends what `body` writes at the pointer it is given, at most `maximum` bytes;
    /// `body` returns how many it wrote. One capacity check for many values: a chain's
    /// rows are written this way at once (``MetricsTable/appendRows(cell:chain:metricNames:to:)``).
    public mutating func appendWritten(maximum: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        let start = bytes.count
        // The room, copied from zeros (a copy is a memcpy; `repeatElement` goes byte by byte).
        var room = maximum
        Self.zeros.withUnsafeBufferPointer { zeros in
            while room > 0 {
                let part = min(room, zeros.count)
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: zeros[0..<part]))
                room -= part
            }
        }
        let written = bytes.withUnsafeMutableBufferPointer { body($0.baseAddress! + start) }
        precondition(written <= maximum, "wrote \(written) bytes into room for \(maximum)")
        bytes.removeLast(maximum - written)
    }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    private static let zeros = [UInt8](repeating: 0, count: 1 << 16)
}

/// Writes the text of CSV cells at a raw pointer into room its caller made
/// (``CSVBytes/appendWritten(maximum:_:)``): bytes, integers and doubles as
/// ``NumberFormat`` writes them, with no capacity check per value.
public struct ByteWriter: TextOutputStream {
    /// The most bytes an integer takes ("-9223372036854775808").
    public static let maximumInteger = 20
    /// The most bytes ``write(_:)-(Double)`` takes (shortest round-trip digits such as
    /// "-2.2250738585072014e-308" are 24).
    public static let maximumDouble = 32

    public let start: UnsafeMutablePointer<UInt8>
    /// Bytes written so far.
    public private(set) var count = 0

    public init(_ start: UnsafeMutablePointer<UInt8>) { self.start = start }

    /// Runs `body` on a writer at `pointer`; returns the bytes it wrote.
    public static func writing(into pointer: UnsafeMutablePointer<UInt8>, _ body: (inout ByteWriter) -> Void) -> Int {
        var w = ByteWriter(pointer)
        body(&w)
        return w.count
    }

    public mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { write($0) }
    }

    /// What `Double.write(to:)` calls with its digits (from a stack buffer).
    public mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { write(buffer) }

    public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        (start + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    public mutating func write(byte: UInt8) {
        start[count] = byte
        count += 1
    }

    /// A non-negative or negative integer in decimal.
    public mutating func write(_ x: Int) {
        if x < 0 { write(byte: UInt8(ascii: "-")) }
        var v = x.magnitude
        var digits = 1, rest = v
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        var at = start + count + digits
        repeat {
            at -= 1
            at.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
        } while v > 0
        count += digits
    }

    /// A value as ``NumberFormat/double(_:)`` writes it. A finite non-integral value is
    /// written by `Double.write(to:)`, which hands its shortest round-trip digits (those
    /// of `description`) to ``_writeASCII(_:)``: no string is made.
    public mutating func write(_ x: Double) {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 {
            write(x == 0 ? 0 : Int(x))  // also maps −0 to 0
        } else if x.isFinite {
            x.write(to: &self)
        } else {
            write(NumberFormat.double(x))
        }
    }
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
