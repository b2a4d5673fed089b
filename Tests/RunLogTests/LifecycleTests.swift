import Foundation
import Testing
@testable import RunLog

@Suite("Run lifecycle")
struct LifecycleTests {
    @Test func aSilentRunShowsAsInterrupted() throws {
        try withTemporaryDirectory { directory in
            let clock = TestClock()
            let store = try openStore(file("runs.sqlite", in: directory), clock: clock, staleAfter: 60)
            let id = try store.startRun(sampleRun())
            clock.advance(by: 59)
            #expect(try store.run(id: id).status == .running)
            try store.heartbeat(runID: id)
            clock.advance(by: 59)
            #expect(try store.run(id: id).status == .running)
            clock.advance(by: 2)
            let stale = try store.run(id: id)
            #expect(stale.status == .interrupted && stale.storedStatus == .running)
            #expect(try store.listRuns(filter: RunFilter(statuses: [.interrupted])).map(\.id) == [id])
            #expect(try store.listRuns(filter: RunFilter(statuses: [.running])).isEmpty)

            #expect(try store.markStaleRunsInterrupted() == [id])
            let marked = try store.run(id: id)
            #expect(marked.storedStatus == .interrupted && marked.endTime == marked.heartbeatTime)
            #expect(expectRunLogError { try store.heartbeat(runID: id) } == .runNotActive(id: id, status: .interrupted))
        }
    }

    @Test func endedRunsTakeNoMoreWrites() throws {
        try withTemporaryDirectory { directory in
            let store = try RunLogStore(path: file("runs.sqlite", in: directory))
            let id = try store.startRun(sampleRun())
            try store.finishRun(runID: id, status: .failed)
            #expect(expectRunLogError { try store.logEpoch(runID: id, epoch: 0, step: 0, metrics: ["a": 1]) }
                    == .runNotActive(id: id, status: .failed))
            #expect(expectRunLogError { try store.finishRun(runID: id, status: .finished) }
                    == .runNotActive(id: id, status: .failed))
            #expect(expectRunLogError { try store.markInterrupted(runID: id) } == .runNotActive(id: id, status: .failed))
            try store.setTag(runID: id, key: "reviewed", value: "yes")
            #expect(try store.run(id: id).tags["reviewed"] == "yes")
        }
    }

    @Test func anInterruptedRunResumesUnderItsID() throws {
        try withTemporaryDirectory { directory in
            let clock = TestClock()
            let store = try openStore(file("runs.sqlite", in: directory), clock: clock)
            let id = try store.startRun(sampleRun())
            try store.logEpoch(runID: id, epoch: 0, step: 10, metrics: ["loss": 1], checkpoint: blob(64, seed: 0))
            try store.logEpoch(runID: id, epoch: 1, step: 20, metrics: ["loss": 0.5], checkpoint: blob(64, seed: 1))
            #expect(expectRunLogError { _ = try store.resumeRun(runID: id) }
                    == .cannotResume(id: id, reason: "it is still running (last heartbeat 0 s ago)"))
            try store.markInterrupted(runID: id)
            try store.markInterrupted(runID: id)
            #expect(try store.run(id: id).status == .interrupted)
            #expect(try store.run(id: id).endTime != nil)

            clock.advance(by: 100)
            let resume = try store.resumeRun(runID: id)
            #expect(resume.run.id == id && resume.run.status == .running && resume.run.endTime == nil)
            #expect(resume.lastEpoch == 1 && resume.lastStep == 20)
            #expect(resume.checkpoint?.record.epoch == 1 && resume.checkpoint?.data == blob(64, seed: 1))
            #expect(resume.run.heartbeatTime == clock.now)

            try store.logEpoch(runID: id, epoch: 2, step: 30, metrics: ["loss": 0.25])
            try store.finishRun(runID: id, status: .finished, finalWeights: blob(10))
            #expect(try store.metrics(runID: id).map(\.step) == [10, 20, 30])
            #expect(try store.listRuns().count == 1)
            #expect(expectRunLogError { _ = try store.resumeRun(runID: id) } == .cannotResume(id: id, reason: "it finished"))
        }
    }

    @Test func aStaleRunningRunCanBeResumed() throws {
        try withTemporaryDirectory { directory in
            let clock = TestClock()
            let store = try openStore(file("runs.sqlite", in: directory), clock: clock)
            let id = try store.startRun(sampleRun())
            clock.advance(by: 61)
            let resume = try store.resumeRun(runID: id)
            #expect(resume.run.status == .running && resume.lastEpoch == nil && resume.checkpoint == nil)
        }
    }

    @Test func relloggingAnEpochReplacesItsRows() throws {
        try withTemporaryDirectory { directory in
            let store = try RunLogStore(path: file("runs.sqlite", in: directory))
            let id = try store.startRun(sampleRun())
            try store.logEpoch(runID: id, epoch: 0, step: 10, metrics: ["loss": .nan], layerStats: sampleLayerStats(epoch: 0),
                               checkpoint: blob(8, seed: 0))
            try store.logEpoch(runID: id, epoch: 0, step: 10, metrics: ["loss": 3], layerStats: sampleLayerStats(epoch: 5),
                               checkpoint: blob(8, seed: 5))
            #expect(try store.metrics(runID: id).map(\.value) == [3])
            #expect(try store.layerStats(runID: id).first?.layers.first?.weightGini == 0.3)
            #expect(try store.artifacts(runID: id).count == 1)
            #expect(try store.latestArtifact(runID: id, kind: .checkpoint)?.data == blob(8, seed: 5))
        }
    }

    @Test func theHeartbeatTimerKeepsARunAliveUntilItEnds() throws {
        try withTemporaryDirectory { directory in
            let store = try RunLogStore(path: file("runs.sqlite", in: directory))
            let id = try store.startRun(sampleRun())
            let first = try store.run(id: id).heartbeatTime
            let heartbeat = store.startHeartbeat(runID: id, every: 0.02)
            let deadline = Date().addingTimeInterval(5)
            while try store.run(id: id).heartbeatTime == first && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            #expect(try store.run(id: id).heartbeatTime > first)
            try store.finishRun(runID: id, status: .finished)
            while heartbeat.lastError == nil && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            #expect(heartbeat.lastError == .runNotActive(id: id, status: .finished))
            heartbeat.stop()
        }
    }

    /// The files as a SIGKILL leaves them are the files on disk while the writer is still open:
    /// copying the database and its WAL mid-run and opening the copy shows what a restart sees.
    @Test func aKilledWriterLosesNoCommittedEpochAndLeavesNoHalfEpoch() throws {
        try withTemporaryDirectory { directory in
            let path = file("runs.sqlite", in: directory)
            let clock = TestClock()
            let store = try openStore(path, clock: clock)
            let id = try store.startRun(sampleRun())
            for epoch in 0..<3 {
                try store.logEpoch(runID: id, epoch: epoch, step: epoch, metrics: ["loss": Double(epoch)],
                                   layerStats: sampleLayerStats(epoch: epoch), checkpoint: blob(5000, seed: UInt8(epoch)))
            }
            let killed = directory.appendingPathComponent("killed", isDirectory: true)
            try FileManager.default.createDirectory(at: killed, withIntermediateDirectories: true)
            // Epoch 3 is in the middle of its transaction when the process "dies".
            try store.write { db, now in
                try db.execute("INSERT INTO metrics (run_id, key, step, epoch, value, is_nan, timestamp) "
                               + "VALUES (?, 'loss', 3, 3, 3.0, 0, ?)", [.integer(id), .integer(now)])
                for suffix in ["", "-wal"] {
                    try FileManager.default.copyItem(atPath: path + suffix,
                                                     toPath: file("runs.sqlite" + suffix, in: killed))
                }
            }
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))

            clock.advance(by: 120)
            let restarted = try openStore(file("runs.sqlite", in: killed), clock: clock)
            let run = try restarted.run(id: id)
            #expect(run.status == .interrupted && run.storedStatus == .running)
            #expect(try restarted.metrics(runID: id).map(\.epoch) == [0, 1, 2])
            #expect(try restarted.layerStats(runID: id).count == 3)
            #expect(try restarted.latestArtifact(runID: id, kind: .checkpoint)?.data == blob(5000, seed: 2))
            let resume = try restarted.resumeRun(runID: id)
            #expect(resume.lastEpoch == 2)
        }
    }
}
