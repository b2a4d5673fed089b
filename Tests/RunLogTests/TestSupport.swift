import Foundation
import LFP
import Testing
@testable import RunLog

/// A fresh directory under the system temporary directory, removed after `body`.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("runlog-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// The path of `name` inside `directory`.
func file(_ name: String, in directory: URL) -> String {
    directory.appendingPathComponent(name).path
}

/// The bytes of the file at `path` (empty when it does not exist).
func bytes(of path: String) -> Data {
    FileManager.default.contents(atPath: path) ?? Data()
}

/// The names of the files in `directory`, sorted.
func listing(of directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
}

/// A clock tests can move forward.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = start }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(by seconds: TimeInterval) {
        lock.lock()
        current = current.addingTimeInterval(seconds)
        lock.unlock()
    }
}

/// A store on `path` whose time comes from `clock`.
func openStore(_ path: String, clock: TestClock, readOnly: Bool = false, staleAfter: TimeInterval = 60) throws
    -> RunLogStore
{
    try RunLogStore(path: path, readOnly: readOnly, staleAfter: staleAfter, busyTimeout: 5,
                    clock: { clock.now })
}

/// A reward description like the built-in catalog's.
let sampleInfo = RewardInfo(id: "softmax-ce", version: 2, name: "Softmax cross-entropy",
                            summary: "rewards the correct class like softmax cross-entropy",
                            differentiable: true, gradientEquivalentLoss: "softmax cross-entropy",
                            paperReference: "Table 2 #3",
                            parameters: [RewardParameter(name: "temperature", defaultValue: 1, summary: "softmax T")])

/// A run description with params and tags.
func sampleRun(name: String = "mnist-lfp", rewardCatalogID: Int64? = nil, seed: UInt64 = 42,
               params: [String: String] = ["lr": "0.1", "epochs": "3"]) -> NewRun {
    NewRun(name: name, method: "lfp", model: "mlp-784-100-10", dataset: "mnist", seed: seed,
           configJSON: #"{"epochs":3,"lr":0.1,"rule":"lfp-epsilon"}"#, rewardCatalogID: rewardCatalogID,
           toolVersion: "0.1.0", host: "test-host", params: params, tags: ["note": "unit test"])
}

/// Two layers' statistics, the second with a NaN Gini.
func sampleLayerStats(epoch: Int) -> [LayerStatRecord] {
    [LayerStatRecord(layerIndex: 0, layerName: "dense1", weightGini: 0.25 + Double(epoch) / 100,
                     zeroWeightFraction: 0.01, updateSparsity: 0.4),
     LayerStatRecord(layerIndex: 1, layerName: "dense2", weightGini: .nan, zeroWeightFraction: 1,
                     updateSparsity: 0.9)]
}

/// `count` deterministic bytes.
func blob(_ count: Int, seed: UInt8 = 7) -> Data {
    Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
}

/// A run log at `path` with one finished run that has metrics, layer stats, a checkpoint and
/// `weightsSize` bytes of final weights. Returns the run id.
@discardableResult
func populate(_ path: String, weightsSize: Int = 4096) throws -> Int64 {
    let store = try RunLogStore(path: path)
    let reward = try store.registerReward(try RewardRecord(info: sampleInfo, definitionHash: "h1", source: .builtIn))
    let id = try store.startRun(sampleRun(rewardCatalogID: reward))
    for epoch in 0..<2 {
        try store.logEpoch(runID: id, epoch: epoch, step: (epoch + 1) * 100,
                           metrics: ["train_loss": 1.0 / Double(epoch + 1), "test_accuracy": 0.5 + Double(epoch) / 10],
                           layerStats: sampleLayerStats(epoch: epoch), checkpoint: blob(1000, seed: UInt8(epoch)))
    }
    try store.finishRun(runID: id, status: .finished, finalWeights: blob(weightsSize))
    return id
}

/// Expects `body` to throw a `RunLogError` and returns it.
func expectRunLogError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> RunLogError? {
    do {
        try body()
        Issue.record("expected a RunLogError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as RunLogError {
        return error
    } catch {
        Issue.record("expected a RunLogError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
