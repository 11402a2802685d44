import CZlib
import Foundation

/// A gzip file written in pieces and published atomically (`metrics.csv.gz`): text is
/// deflated by zlib (RFC 1952 wrapper, level 6, `Z_FILTERED`, memLevel 9: about 12
/// bytes a value against 51 for the text; no file name, modification time 0, so
/// the same text always gives the same bytes) into an ``AtomicFile/Stream``.
public final class GzipStream: TableSink {
    private let file: AtomicFile.Stream
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 1 << 18)
    private let path: String

    public init(_ url: URL) throws {
        path = url.path
        file = try AtomicFile.Stream(url)
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        let status = deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 9, Z_FILTERED,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            file.discard()
            throw OutputError.cannotWrite(path: path, reason: "zlib deflateInit2 failed (status \(status))")
        }
    }

    deinit { deflateEnd(&stream) }

    public func write(_ text: inout CSVBytes) throws {
        try deflate(text.bytes, flush: Z_NO_FLUSH)
        text.removeAll()
    }

    public func commit() throws {
        try deflate([], flush: Z_FINISH)
        try file.commit()
    }

    public func discard() { file.discard() }

    private func deflate(_ input: [UInt8], flush: Int32) throws {
        var input = input
        try input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            // zlib's zpipe pattern: call deflate until it leaves room in the output.
            repeat {
                let produced = try output.withUnsafeMutableBufferPointer { outBuf -> Int in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    let status = CZlib.deflate(&stream, flush)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw OutputError.cannotWrite(path: path, reason: "zlib deflate failed (status \(status))")
                    }
                    return outBuf.count - Int(stream.avail_out)
                }
                if produced > 0 { try file.write(bytes: Array(output[0..<produced])) }
            } while stream.avail_out == 0
            stream.next_in = nil
        }
    }
}

/// Reads a gzip file back into its bytes (for `collapse export` of a
/// `metrics.csv.gz`): all of it, or its first `limit` bytes. Memory is what is read.
public enum GzipFile {
    /// Why a gzip file could not be read.
    public struct ReadError: Error, Sendable {
        public var problem: String
    }

    public static func read(_ path: String, limit: Int = .max) throws(ReadError) -> [UInt8] {
        guard let file = gzopen(path, "rb") else {
            throw ReadError(problem: "cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { gzclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while out.count < limit {
            let want = min(chunk.count, limit - out.count)
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32(want)) }
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "a read error"
                throw ReadError(problem: "not readable as gzip (\(message))")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<Int(n)])
        }
        return out
    }
}
