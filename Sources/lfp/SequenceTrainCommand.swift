import Foundation
import LFP
import Rewards

/// `lfp train --task sequence`: trains a sequence head (`SequenceLayout`, outputs
/// `[N, T·(A+1)]` with `T = --positions`, `A = 10`, blank last) on the digit-string task with LFP
/// and a sequence reward (Levenshtein by default), reporting mean edit distance and exact-match
/// rate. Built-in glyphs by default; MNIST digits with `--dataset mnist --data-dir DIR`.
enum SequenceTrainCommand {
    /// Trains and reports; `startRecorder` opens the run in the run log (nil with `--no-log`),
    /// which then gets every epoch's metrics and layer statistics and the final weights. Sequence
    /// runs keep no checkpoints, so they cannot be resumed.
    static func run(_ settings: TrainSettings, json: Bool, quiet: Bool, signals: StopSignals,
                    startRecorder: (Reward) throws -> RunRecorder?) throws {
        guard settings.method == .lfp else {
            throw CLIError.usage("--task sequence trains with LFP only (--method lfp)")
        }
        var split = try loadData(settings)
        if let limit = settings.trainLimit, limit < split.train.count {
            let train = split.train
            let rows = train.inputs.rows(0..<limit)
            split.train = SequenceDataset(name: train.name, inputs: rows, sequences: Array(train.sequences[0..<limit]),
                                          layout: train.layout)
        }
        let layout = split.train.layout
        var reward = try settings.makeReward()
        if var levenshtein = reward as? LevenshteinReward {
            levenshtein.alphabet = layout.alphabet
            reward = levenshtein
        }
        let description = try ModelDescription(parsingForCLI: settings.model)
        let spec = description.spec(sampleShape: split.train.sampleShape, classes: layout.width,
                                    activation: TrainSettings.activations[settings.activation]!, dropout: settings.dropout)
        var rng = SeededGenerator(seed: settings.seed)
        let trainer = SequenceTrainer(model: spec.build(rng: &rng), configuration: settings.configuration,
                                      reward: reward, layout: layout)
        trainer.stopRequested = { signals.receivedSignal != nil }
        let recorder = try startRecorder(reward)
        try RunRecorder.recording(recorder, model: trainer.model) {
            try train(trainer, split: split, settings: settings, recorder: recorder, json: json, quiet: quiet)
        }
    }

    /// Runs the epochs, logging each, then prints the results.
    static func train(_ trainer: SequenceTrainer, split: SequenceSplit, settings: TrainSettings,
                      recorder: RunRecorder?, json: Bool, quiet: Bool) throws {
        let layout = split.train.layout
        let started = Date()
        let initial = trainer.evaluate(split.test)
        let progress = ProgressReporter(label: "train", total: trainer.totalSteps(trainingCount: split.train.count),
                                        unit: "steps", enabled: !quiet)
        trainer.onStep = { _, _ in
            progress.update(done: trainer.step + 1, samples: (trainer.step + 1) * settings.batchSize)
        }
        var last = initial, summary: SequenceEpochSummary?
        for _ in 0..<settings.epochs {
            let epochStart = Date()
            let rate = settings.configuration.schedule.rate(peak: settings.learningRate, step: trainer.step,
                                                            totalSteps: trainer.totalSteps(trainingCount: split.train.count))
            let epochSummary: SequenceEpochSummary
            do { epochSummary = try trainer.trainEpoch(on: split.train) } catch {
                throw CLIError.trainingFailed(epoch: trainer.epoch + 1, error)
            }
            if epochSummary.interrupted {
                throw CLIError.interrupted("interrupted after \(trainer.epoch) completed epochs (sequence runs cannot be resumed)")
            }
            summary = epochSummary
            last = trainer.evaluate(split.test)
            try recorder?.logEpoch(epochSummary.epoch, step: epochSummary.step, metrics: [
                "train_edit_distance": epochSummary.train.meanEditDistance,
                "train_exact_match": epochSummary.train.exactMatchRate, "reward": epochSummary.trainReward,
                "test_edit_distance": last.meanEditDistance, "test_exact_match": last.exactMatchRate,
                "learning_rate": Double(rate), "epoch_seconds": Date().timeIntervalSince(epochStart),
            ], model: trainer.model, method: .lfp, checkpoint: nil)
            if !quiet, let summary {
                let line = String(format: "epoch %d/%d  train_edit %.4f  test_edit %.4f  test_exact %.4f  reward %.4f",
                                  summary.epoch, settings.epochs, summary.train.meanEditDistance,
                                  last.meanEditDistance, last.exactMatchRate, summary.trainReward)
                if json { printError(line) } else { print(line) }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let train = trainer.evaluate(split.train)
        let results: [String: Any] = [
            "task": "sequence", "dataset": split.train.name.replacingOccurrences(of: "-train", with: ""),
            "model": settings.model, "method": "lfp", "reward": settings.rewardCommand.map { "program: \($0)" } ?? settings.reward,
            "positions": layout.positions, "learning_rate": Double(settings.learningRate), "seed": settings.seed,
            "epochs": trainer.epoch, "steps": trainer.step,
            "initial_test_edit_distance": initial.meanEditDistance,
            "train_edit_distance": train.meanEditDistance, "train_exact_match": train.exactMatchRate,
            "test_edit_distance": last.meanEditDistance, "test_exact_match": last.exactMatchRate,
            "mean_reward": summary?.trainReward ?? 0, "seconds": seconds,
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "done: lfp %@ on %@, test edit distance %.4f (untrained %.4f), exact match %.4f, %.1f s",
                         settings.model, split.train.name, last.meanEditDistance, initial.meanEditDistance,
                         last.exactMatchRate, seconds))
        }
    }

    /// Digit strings from built-in glyphs, or from the digit images of `--dataset mnist|fashion-mnist`.
    static func loadData(_ settings: TrainSettings) throws -> SequenceSplit {
        guard settings.dataset != "digit-strings" else {
            return DigitStrings.synthetic(seed: settings.seed, positions: settings.positions)
        }
        guard let preset = DatasetPreset.named(settings.dataset), preset.needsFiles, preset.name != "csv" else {
            throw CLIError.usage("--task sequence uses --dataset digit-strings (built-in glyphs) or mnist/fashion-mnist "
                + "with --data-dir, not '\(settings.dataset)'")
        }
        let digits = try preset.load(dataDirectory: settings.dataDir, files: CSVFiles(train: nil, test: nil),
                                     seed: settings.seed)
        return DigitStrings.fromDigits(digits, seed: settings.seed, positions: settings.positions)
    }
}
