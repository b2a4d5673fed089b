import Foundation
import LFP
import Testing
@testable import RunLog

@Suite("Run round trip")
struct RoundTripTests {
    @Test func aWholeRunComesBackAsLogged() throws {
        try withTemporaryDirectory { directory in
            let path = file("runs.sqlite", in: directory)
            let clock = TestClock()
            let start = clock.now
            let catalogID: Int64
            let runID: Int64
            do {
                let store = try openStore(path, clock: clock)
                catalogID = try store.registerReward(
                    try RewardRecord(info: sampleInfo, definitionHash: "sha256:abc", source: .builtIn))
                runID = try store.startRun(sampleRun(rewardCatalogID: catalogID, seed: UInt64.max))
                for epoch in 0..<3 {
                    clock.advance(by: 10)
                    try store.logEpoch(runID: runID, epoch: epoch, step: (epoch + 1) * 50,
                                       metrics: ["train_loss": epoch == 1 ? .nan : 2.0 / Double(epoch + 1),
                                                 "test_accuracy": 0.8 + Double(epoch) / 100,
                                                 "grad_norm": .infinity],
                                       layerStats: sampleLayerStats(epoch: epoch),
                                       checkpoint: epoch == 2 ? blob(2048, seed: 9) : nil)
                }
                clock.advance(by: 5)
                try store.finishRun(runID: runID, status: .finished, finalWeights: blob(100_000))
            }

            // Everything is read back through a fresh, read-only store.
            let store = try openStore(path, clock: clock, readOnly: true)
            let run = try store.run(id: runID)
            #expect(run.name == "mnist-lfp" && run.method == "lfp" && run.model == "mlp-784-100-10")
            #expect(run.dataset == "mnist" && run.seed == UInt64.max && run.toolVersion == "0.1.0")
            #expect(run.host == "test-host")
            #expect(run.configJSON == #"{"epochs":3,"lr":0.1,"rule":"lfp-epsilon"}"#)
            #expect(run.status == .finished && run.storedStatus == .finished)
            #expect(run.params == ["lr": "0.1", "epochs": "3"])
            #expect(run.tags == ["note": "unit test"])
            #expect(run.rewardCatalogID == catalogID && run.rewardID == "softmax-ce")
            #expect(run.startTime == start)
            #expect(run.endTime == start.addingTimeInterval(35))
            #expect(run.heartbeatTime == start.addingTimeInterval(35))

            let loss = try store.metrics(runID: runID, key: "train_loss")
            #expect(loss.map(\.step) == [50, 100, 150])
            #expect(loss.map(\.epoch) == [0, 1, 2])
            #expect(loss[0].value == 2 && loss[1].value.isNaN && loss[2].value == 2.0 / 3)
            #expect(loss[1].timestamp == start.addingTimeInterval(20))
            #expect(try store.metrics(runID: runID).count == 9)
            #expect(try store.metrics(runID: runID, key: "grad_norm").allSatisfy { $0.value == .infinity })
            let latest = try store.latestMetrics(runID: runID)
            #expect(latest["test_accuracy"]?.value == 0.8 + 2.0 / 100 && latest["test_accuracy"]?.step == 150)

            let stats = try store.layerStats(runID: runID)
            #expect(stats.map(\.epoch) == [0, 1, 2])
            #expect(stats[1].layers.map(\.layerName) == ["dense1", "dense2"])
            #expect(stats[1].layers[0] == sampleLayerStats(epoch: 1)[0])
            #expect(stats[1].layers[1].weightGini.isNaN && stats[1].layers[1].updateSparsity == 0.9)

            let artifacts = try store.artifacts(runID: runID)
            #expect(artifacts.map(\.name) == ["checkpoint-epoch-2", "weights"])
            #expect(artifacts.map(\.kind) == [.checkpoint, .weights])
            #expect(artifacts.map(\.epoch) == [2, nil])
            #expect(artifacts.map(\.sizeBytes) == [2048, 100_000])
            #expect(try store.artifactData(id: artifacts[1].id) == blob(100_000))
            #expect(try store.artifact(id: artifacts[0].id).data == blob(2048, seed: 9))
            #expect(try store.latestArtifact(runID: runID, kind: .weights)?.data == blob(100_000))
            #expect(try store.latestArtifact(runID: runID, kind: "onnx") == nil)

            let reward = try store.rewardRecord(id: catalogID)
            #expect(reward.record.rewardID == "softmax-ce" && reward.record.version == 2)
            #expect(reward.record.definitionHash == "sha256:abc" && reward.record.source == .builtIn)
            #expect(try reward.record.decodedInfo() == sampleInfo)
            #expect(reward.createdTime == start)
        }
    }

    @Test func nanMetricsAreFlaggedInTheFile() throws {
        try withTemporaryDirectory { directory in
            let path = file("nan.sqlite", in: directory)
            let store = try RunLogStore(path: path)
            let id = try store.startRun(sampleRun())
            try store.logMetrics(runID: id, step: 3, metrics: ["loss": .nan, "acc": 0.5])
            let rows = try store.withConnection { db in
                try db.query("SELECT key, value IS NULL, is_nan FROM metrics ORDER BY key") {
                    [try $0.string(0), String(try $0.int64(1)), String(try $0.int64(2))]
                }
            }
            #expect(rows == [["acc", "0", "0"], ["loss", "1", "1"]])
        }
    }

    @Test func rewardRegistrationIsIdempotentPerDefinition() throws {
        try withTemporaryDirectory { directory in
            let store = try RunLogStore(path: file("rewards.sqlite", in: directory))
            let program = RewardRecord(rewardID: "human", version: 1, definitionHash: "h1",
                                       source: .program(command: ["python3", "judge.py", "--strict"]),
                                       infoJSON: #"{"id":"human"}"#)
            let first = try store.registerReward(program)
            #expect(try store.registerReward(program) == first)
            var changed = program
            changed.definitionHash = "h2"
            let second = try store.registerReward(changed)
            #expect(second != first)
            let plugin = RewardRecord(rewardID: "spikes", version: 1, definitionHash: "p", source: .swiftPlugin,
                                      infoJSON: "{}")
            try store.registerReward(plugin)
            let catalog = try store.rewards()
            #expect(catalog.map(\.record.rewardID) == ["human", "human", "spikes"])
            #expect(catalog[0].record == program)
            #expect(catalog[2].record.source == .swiftPlugin)

            let bad = RewardRecord(rewardID: "x", version: 1, definitionHash: "h", source: .program(command: []),
                                   infoJSON: "{}")
            #expect(expectRunLogError { try store.registerReward(bad) } == .invalidInput("a program reward needs a command line"))
            let notJSON = RewardRecord(rewardID: "x", version: 1, definitionHash: "h", source: .builtIn, infoJSON: "{")
            #expect(expectRunLogError { try store.registerReward(notJSON) } == .invalidInput("the reward's infoJSON is not valid JSON"))
        }
    }

    @Test func deletingARunRemovesEverythingOfIt() throws {
        try withTemporaryDirectory { directory in
            let path = file("delete.sqlite", in: directory)
            let id = try populate(path)
            let store = try RunLogStore(path: path)
            let other = try store.startRun(sampleRun(name: "other"))
            try store.logEpoch(runID: other, epoch: 0, step: 1, metrics: ["loss": 1])
            try store.deleteRun(id: id)
            #expect(expectRunLogError { _ = try store.run(id: id) } == .runNotFound(id))
            for table in ["params", "tags", "metrics", "layer_stats", "artifacts"] {
                let count = try store.withConnection { try $0.scalarInteger("SELECT count(*) FROM \(table) WHERE run_id = ?", [.integer(id)]) }
                #expect(count == 0, "\(table) still has rows of the deleted run")
            }
            #expect(try store.metrics(runID: other).count == 1)
            #expect(try store.rewards().count == 1)
        }
    }

    @Test func listingFiltersAndSorts() throws {
        try withTemporaryDirectory { directory in
            let clock = TestClock()
            let store = try openStore(file("list.sqlite", in: directory), clock: clock)
            var ids: [Int64] = []
            for (index, accuracy) in [0.7, 0.9, Double.nan, 0.8].enumerated() {
                clock.advance(by: 1)
                var run = sampleRun(name: "run\(index)", params: ["lr": index % 2 == 0 ? "0.1" : "0.01", "bs": "32"])
                run.method = index == 3 ? "gradient" : "lfp"
                let id = try store.startRun(run)
                try store.logEpoch(runID: id, epoch: 0, step: 10, metrics: ["acc": 0.1])
                try store.logEpoch(runID: id, epoch: 1, step: 20, metrics: ["acc": accuracy])
                ids.append(id)
            }
            let unmeasured = try store.startRun(sampleRun(name: "unmeasured"))
            try store.finishRun(runID: ids[0], status: .finished)
            try store.finishRun(runID: ids[1], status: .failed)

            #expect(try store.listRuns().map(\.id) == [unmeasured] + ids.reversed())
            #expect(try store.listRuns(filter: RunFilter(sortBy: .id, descending: false)).map(\.id) == ids + [unmeasured])
            // Runs whose latest value is NaN, or that lack the metric, come last in either direction.
            #expect(try store.listRuns(filter: RunFilter(sortBy: .metric("acc"))).map(\.id)
                    == [ids[1], ids[3], ids[0], unmeasured, ids[2]])
            #expect(try store.listRuns(filter: RunFilter(sortBy: .metric("acc"), descending: false)).map(\.id)
                    == [ids[0], ids[3], ids[1], ids[2], unmeasured])
            #expect(try store.listRuns(filter: RunFilter(params: ["lr": "0.1"], sortBy: .id, descending: false)).map(\.id)
                    == [ids[0], ids[2], unmeasured])
            #expect(try store.listRuns(filter: RunFilter(params: ["lr": "0.01", "bs": "32"], sortBy: .id, descending: false))
                    .map(\.id) == [ids[1], ids[3]])
            #expect(try store.listRuns(filter: RunFilter(statuses: [.finished, .failed], sortBy: .id, descending: false))
                    .map(\.id) == [ids[0], ids[1]])
            #expect(try store.listRuns(filter: RunFilter(method: "gradient")).map(\.id) == [ids[3]])
            #expect(try store.listRuns(filter: RunFilter(tags: ["note": "unit test"], limit: 2)).count == 2)
            #expect(try store.listRuns(filter: RunFilter(statuses: [])).isEmpty)
        }
    }
}
