/// Non-cryptographic hashing for ids (config hashes, cell ids, journal checksums):
/// FNV-1a 64 (Fowler, Noll & Vo; the offset basis and prime of the 64-bit variant).
/// The one implementation in the package.
public enum Hashing {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a 64 of the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 { fnv1a64(bytes: text.utf8) }

    /// FNV-1a 64 of a byte sequence, continuing from `start` (the offset basis by default).
    @inlinable
    public static func fnv1a64<Bytes: Sequence>(bytes: Bytes, start: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64
        where Bytes.Element == UInt8 {
        var h = start
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// 16 lower-case hex digits.
    public static func hex(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
