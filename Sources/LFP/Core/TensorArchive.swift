import Foundation

/// A compact binary container for named tensors plus JSON metadata — the format of weights and
/// checkpoint artifacts in the run log (JSON of millions of floats would be ten times larger).
///
/// Layout (little-endian): the 4 bytes `LFPA`, a `UInt32` format version (1), a `UInt64` length
/// `H`, then `H` bytes of UTF-8 JSON `{"metadata": …, "tensors": [{"name", "shape"}, …]}`, then
/// each tensor's `Float32` elements in the listed order, row-major.
public struct TensorArchive: Equatable {
    /// Free-form metadata: the UTF-8 bytes of one JSON value (e.g. the layer spec), stored as is.
    public var metadata: Data
    /// The tensors, in order.
    public var tensors: [(name: String, tensor: Tensor)]

    /// An archive of `tensors` with JSON `metadata`.
    public init(metadata: Data, tensors: [(name: String, tensor: Tensor)]) {
        self.metadata = metadata
        self.tensors = tensors
    }

    static let magic = Data("LFPA".utf8)

    /// The archive's bytes.
    public func encoded() throws -> Data {
        let entries = tensors.map { ["name": $0.name, "shape": $0.tensor.shape] as [String: Any] }
        var header = Data(#"{"metadata":"#.utf8)
        header.append(metadata.isEmpty ? Data("null".utf8) : metadata)
        header.append(Data(#","tensors":"#.utf8))
        header.append(try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys]))
        header.append(Data("}".utf8))
        let payload = tensors.reduce(0) { $0 + 4 * $1.tensor.count }
        var out = Data(capacity: 16 + header.count + payload)
        out.append(Self.magic)
        withUnsafeBytes(of: UInt32(1).littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(header)
        for (_, tensor) in tensors {
            tensor.scalars.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
        }
        return out
    }

    /// Reads an archive, checking magic, version, header and sizes.
    public init(decoding data: Data) throws {
        let bytes = [UInt8](data)
        func fail(_ reason: String) -> TensorArchiveError { TensorArchiveError(reason: reason) }
        guard bytes.count >= 16, Data(bytes[0..<4]) == Self.magic else { throw fail("not an LFP tensor archive") }
        let version = bytes[4..<8].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        guard version == 1 else { throw fail("unsupported archive version \(version)") }
        let headerLength = bytes[8..<16].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(bytes.count - 16) else { throw fail("truncated header") }
        let headerEnd = 16 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[16..<headerEnd])) as? [String: Any],
              let entries = header["tensors"] as? [[String: Any]] else { throw fail("malformed header") }
        metadata = try JSONSerialization.data(withJSONObject: header["metadata"] ?? NSNull(), options: [.fragmentsAllowed])
        var offset = headerEnd
        var read: [(name: String, tensor: Tensor)] = []
        for entry in entries {
            guard let name = entry["name"] as? String, let shape = entry["shape"] as? [Int],
                  shape.allSatisfy({ $0 >= 0 }) else { throw fail("malformed tensor entry") }
            let count = shape.reduce(1, *)
            guard offset + 4 * count <= bytes.count else { throw fail("truncated data of tensor \(name)") }
            var scalars = [Float](repeating: 0, count: count)
            scalars.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<(offset + 4 * count)]))
                }
            }
            read.append((name, Tensor(shape: shape, scalars: scalars)))
            offset += 4 * count
        }
        guard offset == bytes.count else { throw fail("\(bytes.count - offset) unexpected bytes after the tensors") }
        tensors = read
    }

    public static func == (lhs: TensorArchive, rhs: TensorArchive) -> Bool {
        lhs.metadata == rhs.metadata && lhs.tensors.count == rhs.tensors.count
            && zip(lhs.tensors, rhs.tensors).allSatisfy { $0.name == $1.name && $0.tensor == $1.tensor }
    }
}

/// An archive that could not be read.
public struct TensorArchiveError: Error, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    public var description: String { "invalid tensor archive: \(reason)" }
}
