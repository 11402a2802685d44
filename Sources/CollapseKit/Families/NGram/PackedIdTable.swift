/// An open-addressing hash map from a packed n-gram key — the id of the (k−1)-gram it
/// extends (32 bits) and its last token (32 bits) in one `UInt64` — to the k-gram's id.
/// Ids are handed out densely in insertion order, so every per-n-gram statistic lives
/// in a flat array indexed by id: memory is O(distinct n-grams), whatever the
/// vocabulary size or the order (a trie stored as one hash table per order, as in
/// KenLM's "probing" structure: Heafield, "KenLM: Faster and Smaller Language Model
/// Queries", WMT 2011).
///
/// Linear probing over a power-of-two table at most half full, Fibonacci hashing
/// (Knuth, TAOCP vol. 3, §6.4) of the key.
struct PackedIdTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private(set) var count = 0
    private var shift: UInt64

    /// The key no packed n-gram can have (ids and tokens are below 2³¹).
    private static let empty = UInt64.max

    init(expected: Int = 16) {
        var capacity = 16
        while capacity < 2 * expected { capacity <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: capacity)
        values = [Int32](repeating: -1, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    /// The key of the k-gram `parent` + `token`.
    @inline(__always) static func key(_ parent: Int32, _ token: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: parent)) << 32 | UInt64(UInt32(bitPattern: token))
    }

    @inline(__always) private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The id stored for `key`, or −1.
    @inline(__always) func find(_ key: UInt64) -> Int32 {
        keys.withUnsafeBufferPointer { k in
            let mask = k.count - 1
            var i = slot(key)
            while true {
                let stored = k[i]
                if stored == key { return values[i] }
                if stored == Self.empty { return -1 }
                i = (i + 1) & mask
            }
        }
    }

    /// The id of `key`, inserting it with id `count` when absent.
    @inline(__always) mutating func insert(_ key: UInt64) -> (id: Int32, inserted: Bool) {
        if 2 * (count + 1) > keys.count { grow() }
        let mask = keys.count - 1
        var i = slot(key)
        while true {
            let stored = keys[i]
            if stored == key { return (values[i], false) }
            if stored == Self.empty {
                keys[i] = key
                let id = Int32(count)
                values[i] = id
                count += 1
                return (id, true)
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: Self.empty, count: oldKeys.count * 2)
        values = [Int32](repeating: -1, count: oldKeys.count * 2)
        shift -= 1
        let mask = keys.count - 1
        for j in 0..<oldKeys.count where oldKeys[j] != Self.empty {
            var i = slot(oldKeys[j])
            while keys[i] != Self.empty { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            values[i] = oldValues[j]
        }
    }

    /// Bytes held by the table.
    var bytes: Int { keys.count * 12 }
}
