import CZlib
import Foundation

/// Reads IDX files, the format MNIST and Fashion-MNIST ship in: unsigned-byte images
/// (`idx3-ubyte`, magic number `0x00000803`) and unsigned-byte labels (`idx1-ubyte`, magic number
/// `0x00000801`), raw or gzip-compressed. Compression is detected from the content (the gzip magic
/// bytes `1f 8b`), not from the file name.
///
/// Everything the format promises is checked: the magic number, the number of dimensions, that
/// the file holds exactly the bytes its header declares, and the label range. A file that does
/// not exist throws `DataError.missing`; any other problem throws `DataError.malformed` with the
/// reason.
public enum IDXReader {
    /// Magic number of an unsigned-byte file with three dimensions (images).
    public static let imageMagic: UInt32 = 0x0000_0803
    /// Magic number of an unsigned-byte file with one dimension (labels).
    public static let labelMagic: UInt32 = 0x0000_0801

    /// The images in an `idx3-ubyte` file as a `[N, 1, rows, columns]` tensor (NCHW, one
    /// channel) with pixels scaled from `0...255` to `0...1`.
    public static func readImages(at path: String) throws -> Tensor {
        try withContents(of: path) { bytes in
            let dims = try header(of: bytes, path: path, dimensions: 3, kind: "an image")
            let (count, rows, columns) = (dims[0], dims[1], dims[2])
            guard rows > 0, columns > 0 else {
                throw DataError.malformed(path: path, reason: "header declares empty images of \(rows)×\(columns) pixels")
            }
            let offset = 4 + 4 * 3
            let total = try payloadSize(dims, available: bytes.count - offset, path: path)
            let pixels = [Float](unsafeUninitializedCapacity: total) { out, initialized in
                if total > 0 {
                    let source = bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
                    let target = out.baseAddress!
                    for i in 0..<total { target[i] = Float(source[i]) / 255 }
                }
                initialized = total
            }
            return Tensor(shape: [count, 1, rows, columns], scalars: pixels)
        }
    }

    /// The labels in an `idx1-ubyte` file; each must lie in `0..<classCount`.
    public static func readLabels(at path: String, classCount: Int = 10) throws -> [Int] {
        try withContents(of: path) { bytes in
            let dims = try header(of: bytes, path: path, dimensions: 1, kind: "a label")
            let offset = 4 + 4
            let total = try payloadSize(dims, available: bytes.count - offset, path: path)
            var firstBad = -1
            let labels = [Int](unsafeUninitializedCapacity: total) { out, initialized in
                if total > 0 {
                    let source = bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
                    let target = out.baseAddress!
                    for i in 0..<total {
                        let label = Int(source[i])
                        target[i] = label
                        if label >= classCount && firstBad < 0 { firstBad = i }
                    }
                }
                initialized = total
            }
            if firstBad >= 0 {
                throw DataError.malformed(path: path, reason: "label \(labels[firstBad]) at index \(firstBad) is "
                    + "not below the class count \(classCount)")
            }
            return labels
        }
    }

    /// Checks the magic number and returns the dimensions the header declares.
    private static func header(of bytes: UnsafeRawBufferPointer, path: String,
                               dimensions expected: Int, kind: String) throws -> [Int] {
        let expectedMagic = UInt32(0x0800 | expected)
        let hex = { (m: UInt32) in "0x" + String(format: "%08X", m) }
        guard bytes.count >= 4 else {
            throw DataError.malformed(path: path, reason: "file is \(bytes.count) bytes, too short for an IDX "
                + "magic number (expected \(hex(expectedMagic)) for \(kind) file)")
        }
        let magic = bigEndianWord(bytes, at: 0)
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw DataError.malformed(path: path, reason: "not an IDX file: magic number \(hex(magic)), "
                + "expected \(hex(expectedMagic)) for \(kind) file")
        }
        guard bytes[2] == 0x08 else {
            throw DataError.malformed(path: path, reason: "magic number \(hex(magic)) declares element type "
                + String(format: "0x%02X", bytes[2]) + "; only unsigned bytes (0x08) are supported")
        }
        let found = Int(bytes[3])
        guard found == expected else {
            let hint = found == 1 ? " (is this a label file?)" : found == 3 ? " (is this an image file?)" : ""
            throw DataError.malformed(path: path, reason: "magic number \(hex(magic)) declares \(found) "
                + "dimension(s), expected \(expected) for \(kind) file\(hint)")
        }
        let headerSize = 4 + 4 * expected
        guard bytes.count >= headerSize else {
            throw DataError.malformed(path: path, reason: "header truncated: \(expected) dimension(s) need "
                + "\(headerSize) header bytes but the file has \(bytes.count)")
        }
        return (0..<expected).map { Int(bigEndianWord(bytes, at: 4 + 4 * $0)) }
    }

    /// The number of payload bytes `dims` declare, checked against the bytes that follow the header.
    private static func payloadSize(_ dims: [Int], available: Int, path: String) throws -> Int {
        var total = 1
        for d in dims {
            let (product, overflow) = total.multipliedReportingOverflow(by: d)
            guard !overflow else {
                throw DataError.malformed(path: path, reason: "header dimensions \(dims) are too large")
            }
            total = product
        }
        let shape = dims.map(String.init).joined(separator: "×")
        if available < total {
            throw DataError.malformed(path: path, reason: "truncated: header declares \(shape) = \(total) data "
                + "bytes but only \(available) follow the header")
        }
        if available > total {
            throw DataError.malformed(path: path, reason: "\(available - total) unexpected bytes after the "
                + "\(total) data bytes (\(shape)) the header declares")
        }
        return total
    }

    private static func bigEndianWord(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// Calls `body` with the file's bytes, decompressed first when the file is gzip.
    static func withContents<R>(of path: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw DataError.missing(path: path)
        }
        return try data.withUnsafeBytes { raw in
            if raw.count >= 2 && raw[0] == 0x1F && raw[1] == 0x8B {
                return try Gunzip.withDecompressed(raw, path: path, body)
            }
            return try body(raw)
        }
    }
}

/// Decompresses a whole gzip file (one or more members) with zlib.
enum Gunzip {
    /// Calls `body` with the decompressed bytes of `input`; throws `DataError.malformed` for
    /// corrupt, truncated or trailing data.
    static func withDecompressed<R>(_ input: UnsafeRawBufferPointer, path: String,
                                    _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.malformed(path: path, reason: "zlib could not start decompressing")
        }
        defer { inflateEnd(&stream) }
        guard input.count <= Int(UInt32.max) else {
            throw DataError.malformed(path: path, reason: "compressed file is larger than 4 GiB")
        }

        // The gzip trailer's ISIZE (uncompressed size mod 2^32) is a good first guess; it is
        // bounded by deflate's maximum ratio so that a damaged trailer cannot ask for gigabytes.
        let trailer = input.count >= 4
            ? Int(UInt32(input[input.count - 4]) | UInt32(input[input.count - 3]) << 8
                  | UInt32(input[input.count - 2]) << 16 | UInt32(input[input.count - 1]) << 24)
            : 0
        var capacity = max(4096, min(trailer + 1, 1032 * input.count + 4096))
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var produced = 0

        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        while true {
            if produced == capacity {
                let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                larger.copyMemory(from: buffer, byteCount: produced)
                buffer.deallocate()
                buffer = larger
                capacity *= 2
            }
            let room = min(capacity - produced, Int(UInt32.max))
            stream.next_out = (buffer + produced).assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(room)
            let status = inflate(&stream, Z_NO_FLUSH)
            produced += room - Int(stream.avail_out)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                let left = Int(stream.avail_in)
                if left == 0 {
                    return try body(UnsafeRawBufferPointer(start: buffer, count: produced))
                }
                let next = input.count - left
                guard left >= 2, input[next] == 0x1F, input[next + 1] == 0x8B else {
                    throw DataError.malformed(path: path, reason: "\(left) unexpected bytes after the end of the gzip data")
                }
                guard inflateReset(&stream) == Z_OK else {
                    throw DataError.malformed(path: path, reason: "zlib could not start the next gzip member")
                }
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw DataError.malformed(path: path, reason: "gzip data ends early (truncated file?) after "
                    + "\(produced) decompressed bytes")
            case Z_BUF_ERROR:
                continue
            case Z_MEM_ERROR:
                throw DataError.malformed(path: path, reason: "out of memory while decompressing")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                throw DataError.malformed(path: path, reason: "corrupt gzip data: \(message)")
            }
        }
    }
}

/// Finds and reads an MNIST-layout directory: `train-images-idx3-ubyte`,
/// `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each raw
/// or with a `.gz` suffix (the raw file wins when both exist). MNIST and Fashion-MNIST both
/// use this layout.
public enum MNISTLoader {
    /// The four file names, without `.gz`, in the order train images, train labels, test
    /// images, test labels.
    public static let fileNames = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                   "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]

    /// The train and test sets in `directory`, named `<name>-train` and `<name>-test`, with images
    /// `[N, 1, rows, columns]` in `0...1`. Throws `DataError.missing` naming the directory or the
    /// first file not found, and `DataError.malformed` when a file is damaged, when image and
    /// label counts differ, or when train and test images differ in size.
    public static func load(directory: String, name: String, classCount: Int = 10) throws -> DataSplit {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError.missing(path: directory)
        }
        let paths = try fileNames.map { try locate($0, in: directory) }
        let train = try dataset(name: name + "-train", images: paths[0], labels: paths[1], classCount: classCount)
        let test = try dataset(name: name + "-test", images: paths[2], labels: paths[3], classCount: classCount)
        guard train.sampleShape == test.sampleShape else {
            throw DataError.malformed(path: paths[2], reason: "test images are \(test.sampleShape) but train "
                + "images in \(paths[0]) are \(train.sampleShape)")
        }
        return DataSplit(train: train, test: test)
    }

    /// The path of `fileName` or `fileName.gz` in `directory`.
    static func locate(_ fileName: String, in directory: String) throws -> String {
        let base = (directory as NSString).appendingPathComponent(fileName)
        for candidate in [base, base + ".gz"] where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        throw DataError.missing(path: base + "[.gz]")
    }

    private static func dataset(name: String, images: String, labels: String, classCount: Int) throws -> Dataset {
        let inputs = try IDXReader.readImages(at: images)
        let classes = try IDXReader.readLabels(at: labels, classCount: classCount)
        guard inputs.rows == classes.count else {
            throw DataError.malformed(path: labels, reason: "\(classes.count) labels but \(images) holds "
                + "\(inputs.rows) images")
        }
        return Dataset(name: name, inputs: inputs, labels: classes, classCount: classCount)
    }
}
