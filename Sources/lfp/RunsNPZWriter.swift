import Foundation

/// Writes NumPy `.npz` archives: a ZIP file (entries stored uncompressed) holding one `.npy`
/// file (format 1.0, little-endian float32, C order) per array, so that
/// `numpy.load(path)["fc1.weight"]` returns the array.
enum RunsNPZWriter {
    /// The archive holding `arrays` (name → shape and row-major values), entries in name order.
    static func archive(_ arrays: [String: (shape: [Int], values: [Float])]) throws -> Data {
        var entries: [(name: String, data: Data)] = []
        for name in arrays.keys.sorted() {
            let array = arrays[name]!
            entries.append((name + ".npy", npy(shape: array.shape, values: array.values)))
        }
        return try zip(entries)
    }

    /// One `.npy` file: magic, version 1.0, a header padded so the data starts at a multiple
    /// of 64 bytes, then the values.
    static func npy(shape: [Int], values: [Float]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.appendLittleEndian(UInt16(header.utf8.count))
        data.append(Data(header.utf8))
        for value in values { data.appendLittleEndian(value.bitPattern) }
        return data
    }

    /// A ZIP archive with `entries` stored (no compression), dated 1980-01-01.
    static func zip(_ entries: [(name: String, data: Data)]) throws -> Data {
        var archive = Data()
        var directory = Data()
        for entry in entries {
            let name = Data(entry.name.utf8)
            guard entry.data.count < Int(UInt32.max), archive.count < Int(UInt32.max), name.count < Int(UInt16.max)
            else {
                throw CLIError.software("the weights are too large for an npz file without ZIP64; use --format json")
            }
            let crc = crc32(entry.data)
            let offset = UInt32(archive.count)
            archive.appendLittleEndian(UInt32(0x0403_4b50))
            appendCommonFields(to: &archive, crc: crc, size: UInt32(entry.data.count), nameLength: UInt16(name.count))
            archive.append(name)
            archive.append(entry.data)

            directory.appendLittleEndian(UInt32(0x0201_4b50))
            directory.appendLittleEndian(UInt16(20))
            appendCommonFields(to: &directory, crc: crc, size: UInt32(entry.data.count),
                               nameLength: UInt16(name.count))
            for _ in 0..<3 { directory.appendLittleEndian(UInt16(0)) }  // comment length, disk, internal attributes
            directory.appendLittleEndian(UInt32(0))  // external attributes
            directory.appendLittleEndian(offset)
            directory.append(name)
        }
        let directoryOffset = UInt32(archive.count)
        archive.append(directory)
        archive.appendLittleEndian(UInt32(0x0605_4b50))
        archive.appendLittleEndian(UInt16(0))
        archive.appendLittleEndian(UInt16(0))
        archive.appendLittleEndian(UInt16(entries.count))
        archive.appendLittleEndian(UInt16(entries.count))
        archive.appendLittleEndian(UInt32(directory.count))
        archive.appendLittleEndian(directoryOffset)
        archive.appendLittleEndian(UInt16(0))
        return archive
    }

    /// The fields local and central headers share, from "version needed" to "extra length".
    private static func appendCommonFields(to data: inout Data, crc: UInt32, size: UInt32, nameLength: UInt16) {
        data.appendLittleEndian(UInt16(20))  // version needed: 2.0
        data.appendLittleEndian(UInt16(0))  // flags
        data.appendLittleEndian(UInt16(0))  // method: stored
        data.appendLittleEndian(UInt16(0))  // time 00:00
        data.appendLittleEndian(UInt16(0x21))  // date 1980-01-01
        data.appendLittleEndian(crc)
        data.appendLittleEndian(size)  // compressed size
        data.appendLittleEndian(size)  // uncompressed size
        data.appendLittleEndian(nameLength)
        data.appendLittleEndian(UInt16(0))  // extra length
    }

    /// The CRC-32 lookup table (polynomial 0xEDB88320, as ZIP uses).
    private static let crcTable: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 of `data`.
    static func crc32(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in data { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

extension Data {
    /// Appends an integer in little-endian byte order.
    fileprivate mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
