import Foundation
import Testing
@testable import RunLog

/// Collects failures from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []

    func record(_ error: Error) {
        lock.lock()
        errors.append("\(error)")
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return errors
    }
}

/// Runs `body(index)` on `count` threads started together and waits for all of them.
private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
    let failures = Failures()
    let group = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for index in 0..<count {
        group.enter()
        Thread.detachNewThread {
            start.wait()
            do { try body(index) } catch { failures.record(error) }
            group.leave()
        }
    }
    for _ in 0..<count { start.signal() }
    group.wait()
    return failures.all
}

@Suite("Concurrent writers")
struct ConcurrencyTests {
    /// Several connections create, migrate and write one new file at the same time.
    @Test func manyConnectionsWriteOneFileAtOnce() throws {
        try withTemporaryDirectory { directory in
            let path = file("shared.sqlite", in: directory)
            let writers = 4, epochs = 6
            let failures = onThreads(writers) { index in
                let store = try RunLogStore(path: path)
                let reward = try store.registerReward(
                    RewardRecord(rewardID: "shared", version: 1, definitionHash: "h", source: .builtIn, infoJSON: "{}"))
                let id = try store.startRun(sampleRun(name: "writer\(index)", rewardCatalogID: reward))
                for epoch in 0..<epochs {
                    try store.logEpoch(runID: id, epoch: epoch, step: epoch * 10,
                                       metrics: ["loss": Double(index * 100 + epoch), "acc": .nan],
                                       layerStats: sampleLayerStats(epoch: epoch),
                                       checkpoint: blob(20_000, seed: UInt8(index)))
                    _ = try store.listRuns()
                }
                try store.finishRun(runID: id, status: .finished, finalWeights: blob(30_000, seed: UInt8(index)))
            }
            #expect(failures.isEmpty, "\(failures)")

            let store = try RunLogStore(path: path, readOnly: true)
            let runs = try store.listRuns(filter: RunFilter(sortBy: .id, descending: false))
            #expect(runs.count == writers)
            #expect(Set(runs.map(\.name)) == Set((0..<writers).map { "writer\($0)" }))
            #expect(try store.rewards().count == 1)
            for run in runs {
                #expect(run.status == .finished)
                let index = Int(run.name.dropFirst("writer".count))!
                let losses = try store.metrics(runID: run.id, key: "loss").map(\.value)
                #expect(losses == (0..<epochs).map { Double(index * 100 + $0) })
                #expect(try store.metrics(runID: run.id, key: "acc").allSatisfy { $0.value.isNaN })
                #expect(try store.layerStats(runID: run.id).count == epochs)
                #expect(try store.artifacts(runID: run.id).count == epochs + 1)
                #expect(try store.latestArtifact(runID: run.id, kind: .weights)?.data == blob(30_000, seed: UInt8(index)))
            }
        }
    }

    /// One store shared by several threads (a trainer plus its heartbeat, say).
    @Test func oneStoreIsSafeToShareBetweenThreads() throws {
        try withTemporaryDirectory { directory in
            let store = try RunLogStore(path: file("shared.sqlite", in: directory))
            let id = try store.startRun(sampleRun())
            let failures = onThreads(4) { index in
                for step in 0..<25 {
                    try store.logMetrics(runID: id, step: index * 1000 + step, metrics: ["loss": Double(step)])
                    try store.heartbeat(runID: id)
                    _ = try store.run(id: id)
                }
            }
            #expect(failures.isEmpty, "\(failures)")
            #expect(try store.metrics(runID: id).count == 100)
        }
    }
}
