import Foundation
import LFP
import Rewards
import RunLog

/// The run log's cost during training, measured the way `lfp train` logs (one transaction per
/// epoch with metrics, layer statistics and a checkpoint), in two settings: the toy MLP on swirl,
/// whose epochs last milliseconds, and the 784-1000-1000-10 MLP, whose 14 MB checkpoint is
/// compared with an MNIST epoch (469 steps of batch 128).
enum BenchLogging {
    /// Both measurements; `mlpStepSeconds` is the measured LFP step of the MLP, if it was run.
    static func measure(epochs: Int, mlpStepSeconds: Double?) throws -> [String: Any] {
        var report = try measureToy(epochs: epochs)
        if let mlpStepSeconds {
            let logSeconds = try measureMLPCommit()
            let epochSeconds = 469 * mlpStepSeconds
            report["mlp_commit_seconds"] = logSeconds
            report["mlp_epoch_seconds"] = epochSeconds
            report["mlp_log_fraction"] = logSeconds / epochSeconds
        }
        return report
    }

    /// Median seconds to commit one epoch of the 784-1000-1000-10 MLP (with its checkpoint).
    static func measureMLPCommit() throws -> Double {
        let spec = ModelDescription(hiddenWidths: [1000, 1000]).spec(sampleShape: [784], classes: 10, activation: .relu)
        var rng = SeededGenerator(seed: 1)
        let trainer = Trainer(model: spec.build(rng: &rng), configuration: TrainingConfiguration(),
                              reward: SoftmaxCrossEntropyReward())
        var input = Tensor(shape: [128, 784])
        for i in 0..<input.count { input.scalars[i] = rng.uniform(0, 1) }
        let step = try trainer.trainStep(input: input, labels: (0..<128).map { $0 % 10 }, learningRate: 1e-6)
        let summary = EpochSummary(epoch: 1, step: 1, trainLoss: step.loss, trainReward: step.reward,
                                   trainAccuracy: 0, interrupted: false)
        return try withRecorder { recorder in
            var samples: [Double] = []
            for epoch in 1...5 {
                var s = summary
                s.epoch = epoch
                s.step = epoch
                let start = DispatchTime.now().uptimeNanoseconds
                try recorder.logEpoch(s, test: Evaluation(accuracy: 0, loss: 0), learningRate: 0, seconds: 0,
                                      trainer: trainer)
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return samples.sorted()[2]
        }
    }

    /// Runs `body` with a recorder writing a run into a fresh temporary database.
    static func withRecorder<T>(_ body: (RunRecorder) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lfp-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try RunRecorder.openStore(directory.appendingPathComponent("bench.sqlite").path)
        let settings = try TrainSettings(CommandLineArguments(["--dataset", "swirl"], options: TrainSettings.valuedOptions,
                                                             flags: []))
        let recorder = try RunRecorder(store: store, settings: settings, reward: SoftmaxCrossEntropyReward(),
                                       rewardSource: .builtIn, name: "bench")
        defer { recorder.end(.finished, model: nil) }
        return try body(recorder)
    }

    /// Seconds spent training the toy MLP and seconds spent committing its epochs.
    static func measureToy(epochs: Int) throws -> [String: Any] {
        let split = ToyData.swirl(seed: 1)
        let spec = ModelDescription(hiddenWidths: [32, 16]).spec(sampleShape: [2], classes: 3, activation: .relu)
        var rng = SeededGenerator(seed: 1)
        let configuration = TrainingConfiguration(method: .lfp, learningRate: 0.001, schedule: .oneCycle,
                                                  epochs: epochs)
        let trainer = Trainer(model: spec.build(rng: &rng), configuration: configuration,
                              reward: SoftmaxCrossEntropyReward())
        return try withRecorder { recorder in
            var trainSeconds = 0.0, logSeconds = 0.0
            for _ in 0..<epochs {
                let start = DispatchTime.now().uptimeNanoseconds
                let summary = try trainer.trainEpoch(on: split.train)
                let evaluation = trainer.evaluate(split.test)
                let trained = DispatchTime.now().uptimeNanoseconds
                try recorder.logEpoch(summary, test: evaluation, learningRate: configuration.learningRate, seconds: 0,
                                      trainer: trainer)
                let logged = DispatchTime.now().uptimeNanoseconds
                trainSeconds += Double(trained - start) / 1e9
                logSeconds += Double(logged - trained) / 1e9
            }
            return ["toy_epochs": epochs, "toy_train_seconds": trainSeconds, "toy_log_seconds": logSeconds,
                    "toy_log_fraction": logSeconds / trainSeconds]
        }
    }
}
