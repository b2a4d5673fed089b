import CZlib
import Foundation
import Testing
@testable import LFP

/// IDX files written by the test itself (raw and gzip), every kind of damage, the MNIST directory
/// layout, and the real MNIST when it is present.
@Suite struct IDXReaderTests {
    /// A fresh directory for one test's files.
    private final class Scratch {
        let directory: String
        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("lfp-idx-\(UUID())").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: directory) }

        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

        @discardableResult
        func writeRaw(_ bytes: [UInt8], as name: String) throws -> String {
            let p = path(name)
            try Data(bytes).write(to: URL(fileURLWithPath: p))
            return p
        }

        @discardableResult
        func writeGzip(_ bytes: [UInt8], as name: String) throws -> String {
            let p = path(name)
            let file = try #require(gzopen(p, "wb"))
            let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
            #expect(gzclose(file) == Z_OK)
            #expect(Int(written) == bytes.count)
            return p
        }

        func gzipBytes(_ bytes: [UInt8]) throws -> [UInt8] {
            let p = try writeGzip(bytes, as: "tmp-\(UUID()).gz")
            defer { try? FileManager.default.removeItem(atPath: p) }
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
        }
    }

    /// An IDX file: magic number, big-endian dimensions, payload.
    private func idx(magic: UInt32, dims: [Int], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        for word in [magic] + dims.map(UInt32.init) {
            for shift: UInt32 in [24, 16, 8, 0] {
                bytes.append(UInt8(truncatingIfNeeded: word >> shift))
            }
        }
        return bytes + payload
    }

    private func images(count: Int, rows: Int = 28, columns: Int = 28) -> (file: [UInt8], pixels: [UInt8]) {
        var pixels = [UInt8](repeating: 0, count: count * rows * columns)
        for i in pixels.indices {
            pixels[i] = UInt8((i * 7 + i / 13) % 256)
        }
        return (idx(magic: IDXReader.imageMagic, dims: [count, rows, columns], payload: pixels), pixels)
    }

    private func labels(_ values: [UInt8]) -> [UInt8] {
        idx(magic: IDXReader.labelMagic, dims: [values.count], payload: values)
    }

    // MARK: Round trips

    @Test func rawImagesAndLabelsRoundTrip() throws {
        let scratch = try Scratch()
        let (file, pixels) = images(count: 3)
        let imagePath = try scratch.writeRaw(file, as: "images-idx3-ubyte")
        let tensor = try IDXReader.readImages(at: imagePath)
        #expect(tensor.shape == [3, 1, 28, 28])
        #expect(tensor.scalars == pixels.map { Float($0) / 255 })
        #expect(tensor.scalars.min()! >= 0 && tensor.scalars.max()! == 1)

        let labelPath = try scratch.writeRaw(labels([0, 9, 3]), as: "labels-idx1-ubyte")
        #expect(try IDXReader.readLabels(at: labelPath) == [0, 9, 3])
    }

    @Test func gzipIsDetectedByContentNotName() throws {
        let scratch = try Scratch()
        let (file, pixels) = images(count: 2, rows: 3, columns: 5)
        let gzipNoSuffix = try scratch.writeGzip(file, as: "images")
        let rawWithSuffix = try scratch.writeRaw(file, as: "images-raw.gz")
        for path in [gzipNoSuffix, rawWithSuffix] {
            let tensor = try IDXReader.readImages(at: path)
            #expect(tensor.shape == [2, 1, 3, 5])
            #expect(tensor.scalars == pixels.map { Float($0) / 255 })
        }
        let labelPath = try scratch.writeGzip(labels([7, 1]), as: "labels.gz")
        #expect(try IDXReader.readLabels(at: labelPath) == [7, 1])
    }

    @Test func concatenatedGzipMembersAndEmptyFiles() throws {
        let scratch = try Scratch()
        let whole = labels([1, 2, 3, 4, 5])
        let joined = try scratch.gzipBytes(Array(whole[..<6])) + scratch.gzipBytes(Array(whole[6...]))
        let path = try scratch.writeRaw(joined, as: "two-members.gz")
        #expect(try IDXReader.readLabels(at: path) == [1, 2, 3, 4, 5])

        let empty = try scratch.writeGzip(images(count: 0).file, as: "empty.gz")
        #expect(try IDXReader.readImages(at: empty).shape == [0, 1, 28, 28])
    }

    // MARK: Malformed files

    @Test func wrongMagicNumbers() throws {
        let scratch = try Scratch()
        let labelFile = try scratch.writeRaw(labels([1, 2]), as: "labels")
        #expect(malformedReason { try IDXReader.readImages(at: labelFile) }
                == "magic number 0x00000801 declares 1 dimension(s), expected 3 for an image file (is this a label file?)")
        let imageFile = try scratch.writeRaw(images(count: 1).file, as: "images")
        #expect(malformedReason { try IDXReader.readLabels(at: imageFile) }
                == "magic number 0x00000803 declares 3 dimension(s), expected 1 for a label file (is this an image file?)")
        let text = try scratch.writeRaw(Array("hello, world".utf8), as: "text")
        #expect(malformedReason { try IDXReader.readLabels(at: text) }
                == "not an IDX file: magic number 0x68656C6C, expected 0x00000801 for a label file")
        let floats = try scratch.writeRaw(idx(magic: 0x0000_0D01, dims: [1], payload: [0, 0, 0, 0]), as: "floats")
        #expect(malformedReason { try IDXReader.readLabels(at: floats) }
                == "magic number 0x00000D01 declares element type 0x0D; only unsigned bytes (0x08) are supported")
        let tiny = try scratch.writeRaw([0, 0], as: "tiny")
        #expect(malformedReason { try IDXReader.readImages(at: tiny) }
                == "file is 2 bytes, too short for an IDX magic number (expected 0x00000803 for an image file)")
    }

    @Test func sizeMustMatchTheHeader() throws {
        let scratch = try Scratch()
        let full = images(count: 2).file
        let truncated = try scratch.writeRaw(Array(full.dropLast(100)), as: "truncated")
        #expect(malformedReason { try IDXReader.readImages(at: truncated) }
                == "truncated: header declares 2×28×28 = 1568 data bytes but only 1468 follow the header")
        let padded = try scratch.writeGzip(full + [0, 0, 0], as: "padded.gz")
        #expect(malformedReason { try IDXReader.readImages(at: padded) }
                == "3 unexpected bytes after the 1568 data bytes (2×28×28) the header declares")
        let shortHeader = try scratch.writeRaw(Array(full.prefix(10)), as: "short-header")
        #expect(malformedReason { try IDXReader.readImages(at: shortHeader) }
                == "header truncated: 3 dimension(s) need 16 header bytes but the file has 10")
        let noPixels = try scratch.writeRaw(idx(magic: IDXReader.imageMagic, dims: [1, 0, 28], payload: []), as: "zero")
        #expect(malformedReason { try IDXReader.readImages(at: noPixels) } == "header declares empty images of 0×28 pixels")
    }

    @Test func labelsOutOfRange() throws {
        let scratch = try Scratch()
        let path = try scratch.writeRaw(labels([3, 12, 4]), as: "labels")
        #expect(throws: DataError.malformed(path: path, reason: "label 12 at index 1 is not below the class count 10")) {
            try IDXReader.readLabels(at: path)
        }
        #expect(try IDXReader.readLabels(at: path, classCount: 13) == [3, 12, 4])
    }

    @Test func corruptAndTruncatedGzip() throws {
        let scratch = try Scratch()
        let gz = try scratch.gzipBytes(images(count: 4).file)

        var badBlock = gz
        badBlock[10] = 0xFF  // first deflate byte: reserved block type 3
        let badBlockPath = try scratch.writeRaw(badBlock, as: "bad-block.gz")
        #expect(malformedReason { try IDXReader.readImages(at: badBlockPath) } == "corrupt gzip data: invalid block type")

        var badCRC = gz
        badCRC[gz.count - 8] ^= 0xFF  // the CRC-32 in the trailer
        let badCRCPath = try scratch.writeRaw(badCRC, as: "bad-crc.gz")
        #expect(malformedReason { try IDXReader.readImages(at: badCRCPath) } == "corrupt gzip data: incorrect data check")

        let cut = try scratch.writeRaw(Array(gz.prefix(gz.count / 2)), as: "cut.gz")
        #expect(malformedReason { try IDXReader.readImages(at: cut) }.hasPrefix("gzip data ends early (truncated file?) after "))

        let trailing = try scratch.writeRaw(gz + [1, 2, 3], as: "trailing.gz")
        #expect(malformedReason { try IDXReader.readImages(at: trailing) } == "3 unexpected bytes after the end of the gzip data")
    }

    @Test func missingFileOrDirectory() throws {
        let scratch = try Scratch()
        let path = scratch.path("absent-idx3-ubyte")
        #expect(throws: DataError.missing(path: path)) { try IDXReader.readImages(at: path) }
        #expect(throws: DataError.missing(path: scratch.directory)) { try IDXReader.readLabels(at: scratch.directory) }
    }

    // MARK: MNIST layout

    /// Writes an MNIST-layout directory with `train` and `test` samples, mixing raw and gzip files.
    private func writeMNIST(_ scratch: Scratch, train: Int, test: Int, testLabels: Int? = nil) throws {
        try scratch.writeGzip(images(count: train).file, as: "train-images-idx3-ubyte.gz")
        try scratch.writeRaw(labels((0..<train).map { UInt8($0 % 10) }), as: "train-labels-idx1-ubyte")
        try scratch.writeRaw(images(count: test).file, as: "t10k-images-idx3-ubyte")
        try scratch.writeGzip(labels((0..<(testLabels ?? test)).map { UInt8(9 - $0 % 10) }),
                              as: "t10k-labels-idx1-ubyte.gz")
    }

    @Test func loadsAnMNISTDirectory() throws {
        let scratch = try Scratch()
        try writeMNIST(scratch, train: 12, test: 5)
        let split = try MNISTLoader.load(directory: scratch.directory, name: "tiny")
        #expect(split.train.name == "tiny-train" && split.test.name == "tiny-test")
        #expect(split.train.inputs.shape == [12, 1, 28, 28])
        #expect(split.test.inputs.shape == [5, 1, 28, 28])
        #expect(split.train.labels == (0..<12).map { $0 % 10 })
        #expect(split.test.labels == [9, 8, 7, 6, 5])
        #expect(split.train.classCount == 10)
    }

    @Test func mnistCountMismatchAndMissingFiles() throws {
        let scratch = try Scratch()
        try writeMNIST(scratch, train: 3, test: 4, testLabels: 2)
        let labelsPath = scratch.path("t10k-labels-idx1-ubyte.gz")
        let imagesPath = scratch.path("t10k-images-idx3-ubyte")
        #expect(throws: DataError.malformed(path: labelsPath, reason: "2 labels but \(imagesPath) holds 4 images")) {
            try MNISTLoader.load(directory: scratch.directory, name: "m")
        }

        try FileManager.default.removeItem(atPath: labelsPath)
        #expect(throws: DataError.missing(path: scratch.path("t10k-labels-idx1-ubyte") + "[.gz]")) {
            try MNISTLoader.load(directory: scratch.directory, name: "m")
        }
        let absent = scratch.path("no-such-dir")
        #expect(throws: DataError.missing(path: absent)) { try MNISTLoader.load(directory: absent, name: "m") }
    }

    // MARK: The real MNIST

    /// `$LFP_DATA_DIR/mnist` or `$LFP_DATA_DIR`, else `../shared/data/mnist` next to the package,
    /// whichever holds the four MNIST files; `nil` when none does.
    static let realMNIST: String? = {
        var candidates: [String] = []
        if let root = ProcessInfo.processInfo.environment["LFP_DATA_DIR"], !root.isEmpty {
            candidates += [(root as NSString).appendingPathComponent("mnist"), root]
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent("../shared/data/mnist").standardizedFileURL.path)
        return candidates.first { directory in
            MNISTLoader.fileNames.allSatisfy { (try? MNISTLoader.locate($0, in: directory)) != nil }
        }
    }()

    @Test(.enabled(if: realMNIST != nil, "MNIST not found in $LFP_DATA_DIR or ../shared/data/mnist"))
    func readsTheRealMNIST() throws {
        let split = try MNISTLoader.load(directory: try #require(Self.realMNIST), name: "mnist")
        #expect(split.train.inputs.shape == [60_000, 1, 28, 28])
        #expect(split.test.inputs.shape == [10_000, 1, 28, 28])
        // The first digits of each set, as published.
        #expect(split.train.labels.first == 5)
        #expect(split.test.labels.first == 7)
        for set in [split.train, split.test] {
            var counts = [Int](repeating: 0, count: 10)
            for label in set.labels { counts[label] += 1 }
            #expect(counts.allSatisfy { $0 > set.count / 20 }, "label counts \(counts)")
        }
        // Pixels span 0...1 (checked on the smaller set: a debug-build scan of 47M floats is slow).
        #expect(split.test.inputs.maxAbs() == 1)
        #expect(split.test.inputs.scalars.min() == 0)
    }
}
