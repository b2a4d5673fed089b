import Foundation
import LFP
import RunLog

/// Writes one `lfp train` run into the run log: registers the reward in the catalog, starts (or
/// resumes) the run, commits each epoch's metrics, layer statistics and checkpoint in one
/// transaction, and records how the run ended.
final class RunRecorder {
    let store: RunLogStore
    let runID: Int64
    private var heartbeat: RunHeartbeat?

    /// Opens the log (creating it if needed), mapping failures to CLI errors.
    static func openStore(_ path: String, readOnly: Bool = false) throws -> RunLogStore {
        do { return try RunLogStore(path: path, readOnly: readOnly) } catch let error as RunLogError {
            throw cliError(error)
        }
    }

    /// A CLI error with the right exit code for a run-log failure.
    static func cliError(_ error: RunLogError) -> CLIError {
        switch error {
        case .cannotOpen: return .cannotCreate("\(error)")
        case .readOnly: return .cannotCreate("\(error)")
        case .runNotFound, .artifactNotFound, .rewardNotFound: return .noInput("\(error)")
        case .cannotResume, .runNotActive, .invalidInput: return .usage("\(error)")
        case .notADatabase, .notARunLog, .corrupt, .newerSchema, .olderSchema: return .data("\(error)")
        default: return .software("\(error)")
        }
    }

    /// Starts a new run for `settings`.
    init(store: RunLogStore, settings: TrainSettings, reward: Reward, rewardSource: RewardSource,
         name: String?) throws {
        self.store = store
        do {
            let infoData = try JSONEncoder.sorted.encode(reward.info)
            let record = RewardRecord(rewardID: reward.info.id, version: reward.info.version,
                                      definitionHash: Self.hash(infoData), source: rewardSource,
                                      infoJSON: String(decoding: infoData, as: UTF8.self))
            let catalogID = try store.registerReward(record)
            let config = String(decoding: try JSONEncoder.sorted.encode(settings), as: UTF8.self)
            runID = try store.startRun(NewRun(
                name: name ?? "\(settings.dataset)-\(settings.method.rawValue)-\(settings.model)",
                method: settings.method.rawValue, model: settings.model, dataset: settings.dataset,
                seed: settings.seed, configJSON: config, rewardCatalogID: catalogID,
                toolVersion: ToolVersion.current, params: settings.params,
                tags: ["pid": String(getpid())]))
        } catch let error as RunLogError {
            throw Self.cliError(error)
        }
        heartbeat = store.startHeartbeat(runID: runID)
    }

    /// Continues an existing run (already reopened with `resumeRun`).
    init(store: RunLogStore, resumedRunID: Int64) {
        self.store = store
        self.runID = resumedRunID
        try? store.setTag(runID: runID, key: "pid", value: String(getpid()))
        heartbeat = store.startHeartbeat(runID: runID)
    }

    /// Commits one epoch in one transaction: metrics, layer statistics and the epoch's checkpoint
    /// (artifact `checkpoint-epoch-N`, what `--resume` continues from).
    func logEpoch(_ summary: EpochSummary, test: Evaluation, learningRate: Float, seconds: Double,
                  trainer: Trainer) throws {
        let checkpoint: Data
        do { checkpoint = try trainer.checkpoint().archived() } catch {
            throw CLIError.software("could not encode the checkpoint of epoch \(summary.epoch): \(error)")
        }
        try logEpoch(summary.epoch, step: summary.step, metrics: [
            "train_accuracy": summary.trainAccuracy, "train_loss": summary.trainLoss, "reward": summary.trainReward,
            "test_accuracy": test.accuracy, "test_loss": test.loss, "learning_rate": Double(learningRate),
            "epoch_seconds": seconds,
        ], model: trainer.model, method: trainer.configuration.method, checkpoint: checkpoint)
    }

    /// Commits one epoch's `metrics`, the layer statistics of `model` and, when given, a
    /// checkpoint, in one transaction.
    func logEpoch(_ epoch: Int, step: Int, metrics: [String: Double], model: Layer, method: TrainingMethod,
                  checkpoint: Data?) throws {
        let direction: UpdateDirection = method == .lfp ? .feedback : .gradient
        let stats = LayerStatistics.of(model, direction: direction).enumerated().map { index, s in
            LayerStatRecord(layerIndex: index, layerName: s.parameter, weightGini: s.gini,
                            zeroWeightFraction: s.zeroFraction, updateSparsity: 1 - s.updatedFraction)
        }
        do {
            try store.logEpoch(runID: runID, epoch: epoch, step: step, metrics: metrics, layerStats: stats,
                               checkpoint: checkpoint)
        } catch let error as RunLogError {
            throw Self.cliError(error)
        }
    }

    /// Runs `training` and records how it ended in `recorder` (if any): finished with the final
    /// weights of `model`, interrupted (a stop signal), or failed; errors are passed on.
    static func recording(_ recorder: RunRecorder?, model: Layer, _ training: () throws -> Void) throws {
        do {
            try training()
        } catch let error as CLIError {
            if case .interrupted = error { recorder?.end(.interrupted, model: nil) } else { recorder?.end(.failed, model: nil) }
            throw error
        } catch {
            recorder?.end(.failed, model: nil)
            throw error
        }
        recorder?.end(.finished, model: model)
    }

    /// Records the end of the run; final weights when it finished.
    func end(_ status: RunStatus, model: Layer?) {
        heartbeat?.stop()
        heartbeat = nil
        let weights = try? model.map { try ModelSnapshot(of: $0).archived() }
        do {
            if status == .interrupted {
                try store.markInterrupted(runID: runID)
            } else {
                try store.finishRun(runID: runID, status: status, finalWeights: weights ?? nil)
            }
        } catch {
            printError("lfp train: could not record the end of run \(runID): \(error)")
        }
    }

    static func hash(_ data: Data) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            h ^= UInt64(byte)
            h &*= 0x100_0000_01b3
        }
        return String(format: "%016llx", h)
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys, so equal values give equal bytes (and hashes).
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension TrainSettings {
    /// The flat key/value params of a run, for filtering.
    var params: [String: String] {
        var p: [String: String] = [
            "dataset": dataset, "model": model, "activation": activation, "method": method.rawValue, "rule": rule,
            "epsilon": "\(epsilon)", "reward": reward, "lr": "\(learningRate)", "momentum": "\(momentum)",
            "weight_decay": "\(weightDecay)", "batch_size": "\(batchSize)", "epochs": "\(epochs)",
            "seed": "\(seed)", "schedule": schedule, "dropout": "\(dropout)", "threads": "\(threads)",
        ]
        if let clipNorm { p["clip_norm"] = "\(clipNorm)" }
        if let adaptiveClip { p["adaptive_clip"] = "\(adaptiveClip)" }
        if let trainLimit { p["train_limit"] = "\(trainLimit)" }
        return p
    }
}
