import CZlib
import Foundation

/// A gzip file written in pieces and published atomically (`metrics.csv.gz`): text is
/// deflated by zlib (RFC 1952 wrapper, level 6, `Z_FILTERED`, memLevel 9: about 12
/// bytes a value against 51 for the text; no file name, modification time 0, so
/// the same text always gives the same bytes) into an ``AtomicFile/Stream``.
public final class GzipStream: TableSink {
    private let file: AtomicFile.Stream
    /// zlib checks that its stream does not move between calls: allocated once.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var output = [UInt8](repeating: 0, count: 1 << 18)
    /// zlib keeps a pointer to the header until it is written: it must not move.
    private let header = UnsafeMutablePointer<gz_header>.allocate(capacity: 1)
    private let path: String

    public init(_ url: URL) throws {
        path = url.path
        file = try AtomicFile.Stream(url)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        let status = deflateInit2_(stream, 6, Z_DEFLATED, 15 + 16, 9, Z_FILTERED,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            file.discard()
            throw OutputError.cannotWrite(path: path, reason: "zlib deflateInit2 failed (status \(status))")
        }
        // The header's operating-system byte "unknown" (255) rather than the platform's,
        // and no name, comment or time: the file's bytes depend only on the text (for one
        // zlib version and build).
        header.pointee = gz_header()
        header.pointee.os = 255
        deflateSetHeader(stream, header)
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        header.deallocate()
    }

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
        // zlib counts input in UInt32: hand it at most 1 GiB at a time.
        if input.count > 1 << 30 {
            for start in stride(from: 0, to: input.count, by: 1 << 30) {
                let end = min(input.count, start + (1 << 30))
                try deflate(Array(input[start..<end]), flush: end == input.count ? flush : Z_NO_FLUSH)
            }
            return
        }
        var input = input
        try input.withUnsafeMutableBufferPointer { inBuf in
            stream.pointee.next_in = inBuf.baseAddress
            stream.pointee.avail_in = UInt32(inBuf.count)
            // zlib's zpipe pattern: call deflate until it leaves room in the output.
            repeat {
                let produced = try output.withUnsafeMutableBufferPointer { outBuf -> Int in
                    stream.pointee.next_out = outBuf.baseAddress
                    stream.pointee.avail_out = UInt32(outBuf.count)
                    let status = CZlib.deflate(stream, flush)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw OutputError.cannotWrite(path: path, reason: "zlib deflate failed (status \(status))")
                    }
                    return outBuf.count - Int(stream.pointee.avail_out)
                }
                if produced > 0 { try file.write(bytes: Array(output[0..<produced])) }
            } while stream.pointee.avail_out == 0
            stream.pointee.next_in = nil
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
            if n == 0 {
                // gzread ends a truncated stream as if it were complete; gzerror tells.
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
                if code != Z_OK { throw ReadError(problem: "truncated or corrupt gzip (\(message))") }
                break
            }
            out.append(contentsOf: chunk[0..<Int(n)])
        }
        return out
    }
}
