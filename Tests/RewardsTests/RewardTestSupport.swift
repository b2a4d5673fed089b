import Foundation
import LFP
import Testing
@testable import Rewards

/// Helpers shared by the reward tests: seeded random outputs, a from-scratch macro-F1, the
/// built `lfp` binary and small temporary programs.
enum Support {
    /// A `[rows, columns]` tensor of seeded normal values times `scale`.
    static func randomOutputs(rows: Int, columns: Int, seed: UInt64, scale: Float = 2) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return Tensor(shape: [rows, columns], scalars: (0..<(rows * columns)).map { _ in Float(rng.normal()) * scale })
    }

    /// Seeded labels in `0..<classes`.
    static func randomLabels(count: Int, classes: Int, seed: UInt64) -> [Int] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.index(below: classes) }
    }

    /// Macro-F1 recomputed from scratch (all classes, 0 for a class neither labelled nor predicted).
    static func bruteForceMacroF1(predictions: [Int], labels: [Int], classes: Int) -> Double {
        var total = 0.0
        for k in 0..<classes {
            var tp = 0, fp = 0, fn = 0
            for (p, y) in zip(predictions, labels) {
                if p == k && y == k { tp += 1 } else if p == k { fp += 1 } else if y == k { fn += 1 }
            }
            if 2 * tp + fp + fn > 0 { total += Double(2 * tp) / Double(2 * tp + fp + fn) }
        }
        return total / Double(classes)
    }

    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `lfp` executable built next to this test bundle; records an issue when it is missing.
    static func lfpBinary() throws -> URL {
        var candidates: [URL] = []
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("lfp"))
            directory.deleteLastPathComponent()
        }
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("lfp")) }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/lfp"))
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return found }
        Issue.record("the lfp binary was not found next to the test bundle (looked at \(candidates.map(\.path))); build it first")
        throw CancellationError()
    }

    /// Runs `lfp` with `arguments` in a fresh temporary directory (so that nothing it writes lands
    /// in the package); returns exit status, stdout and stderr.
    static func runLFP(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try lfpBinary()
        process.arguments = arguments
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lfp-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Writes a Python script to a fresh temporary file and returns the command running it.
    static func pythonProgram(_ source: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reward-\(UUID().uuidString).py")
        try source.write(to: url, atomically: true, encoding: .utf8)
        return "python3 \(url.path)"
    }

    /// Macro-F1 of `model` on `data`.
    static func macroF1(_ model: Layer, _ data: Dataset) -> Double {
        let outputs = model.forward(data.inputs, mode: .eval)
        return bruteForceMacroF1(predictions: outputs.argmaxRows(), labels: data.labels, classes: data.classCount)
    }
}
