import Foundation
import LFP
import Rewards
import RunLog

/// `lfp train`: trains a model on a dataset with LFP or the gradient baseline and reports its
/// accuracy; with `--json` the last line on stdout is one JSON object of results.
enum TrainCommand {
    static let help = """
    usage: lfp train [options]

    Train a network with Layer-wise Feedback Propagation (or its gradient baseline).
    Defaults are the paper's settings for the chosen dataset.

    data and model:
      --dataset NAME        blobs, circles, swirl (built in), mnist, fashion-mnist, csv (swirl)
      --data-dir DIR        folder with the IDX files (or set LFP_DATA_DIR to their parent)
      --data-file FILE      --dataset csv: numeric columns, class label last (header detected)
      --test-file FILE      --dataset csv: test samples (default: a seeded fifth of --data-file)
      --train-limit N       train on the first N training samples only
      --model SPEC          mlp:W1,W2,...  or  resmlp:WIDTHxBLOCKS (default: the dataset's)
      --activation NAME     relu, leaky-relu, silu, elu, tanh, sigmoid, heaviside, identity (relu)
      --dropout P           dropout after each hidden layer (0)

    method:
      --method lfp|gradient LFP (default) or gradient descent with softmax cross-entropy
      --rule epsilon|zero   LFP-epsilon (default) or LFP-0
      --epsilon E           epsilon of the LFP-epsilon rule (1e-6)
      --reward ID           initial reward (softmax-ce); see 'lfp rewards list'
      --reward-command CMD  a program computing the rewards per batch (Rewards/Examples/README.md)
      --reward-timeout S    seconds the reward program may take per batch (30)
      --task NAME           classify (default) or sequence: digit strings (--dataset digit-strings,
                            or mnist/fashion-mnist digits), Levenshtein reward, edit-distance metrics
      --positions T         output positions of the sequence head (4)

    optimisation:
      --lr RATE             (peak) learning rate (default: the dataset's, per method)
      --momentum M          SGD momentum (dataset default, 0.95 for toy sets)
      --weight-decay W      L2 weight decay (0)
      --schedule NAME       constant or one-cycle (dataset default: one-cycle on toy sets)
      --clip-norm N         clip the global norm of the update direction to N
      --adaptive-clip L     adaptive clipping (Brock et al. 2021) with factor L
      --batch-size N        samples per step (128)
      --epochs N            passes over the training set (dataset default)
      --seed N              seed for initialisation, data and shuffling (1)
      --threads N           OpenBLAS threads (1; results are reproducible per seed and count)

    run log:
      --db PATH             SQLite run log (default $LFP_DB, else runs.sqlite here)
      --name NAME           a name for the run
      --no-log              do not record the run
      --resume RUN_ID       continue an interrupted run from its last checkpoint

    output:
      --config FILE         JSON object of option values (keys as above, e.g. {"lr": 0.01})
      --json                print the results as one JSON object (the last line of stdout)
      --quiet               no progress or per-epoch lines
      --help                this text

    Ctrl-C, SIGTERM and SIGUSR1 stop after the current step: the run is marked interrupted and
    can be resumed. Every epoch commits its metrics, layer statistics and a checkpoint.

    exit codes: 0 success, 64 bad arguments, 65 bad data, 66 missing input, 70 failure,
                73 cannot write the run log, 130 interrupted
    """

    static func run(_ words: [String]) throws {
        if words.contains("--help") || words.contains("-h") {
            print(help)
            return
        }
        let args = try CommandLineArguments(
            words, options: TrainSettings.valuedOptions.union(["config", "db", "name", "resume"]),
            flags: ["json", "quiet", "no-log"])
        guard args.positionals.isEmpty else {
            throw CLIError.usage("unexpected argument '\(args.positionals[0])' (see --help)")
        }
        let json = args.has("json"), quiet = args.has("quiet")
        let signals = StopSignals()
        let settings: TrainSettings
        let trainer: Trainer
        let split: DataSplit
        var recorder: RunRecorder?

        if let resume = args.string("resume") {
            guard let runID = Int64(resume), runID > 0 else { throw CLIError.usage("--resume expects a run id, got '\(resume)'") }
            guard !args.has("no-log") else { throw CLIError.usage("--resume needs the run log; drop --no-log") }
            let store = try RunRecorder.openStore(try RunsDatabase.path(args))
            let point = try ResumedRun.reopen(store: store, runID: runID)
            settings = point.settings
            Kernels.setThreadCount(settings.threads)
            split = try settings.loadData()
            trainer = try Trainer(resuming: point.checkpoint, reward: try settings.makeReward())
            recorder = RunRecorder(store: store, resumedRunID: runID)
        } else {
            settings = try TrainSettings(args)
            Kernels.setThreadCount(settings.threads)
            if settings.task == "sequence" {
                return try SequenceTrainCommand.run(settings, json: json, quiet: quiet, signals: signals,
                                                    startRecorder: { reward in try startRecorder(args, settings, reward) })
            }
            let reward = try settings.makeReward()
            split = try settings.loadData()
            trainer = Trainer(model: try settings.buildModel(for: split), configuration: settings.configuration,
                              reward: reward)
            recorder = try startRecorder(args, settings, reward)
        }
        trainer.stopRequested = { signals.receivedSignal != nil }
        try RunRecorder.recording(recorder, model: trainer.model) {
            try train(trainer, split: split, settings: settings, recorder: recorder, json: json, quiet: quiet)
        }
    }

    /// Starts recording a new run in the run log, unless `--no-log` was given.
    static func startRecorder(_ args: CommandLineArguments, _ settings: TrainSettings, _ reward: Reward) throws
        -> RunRecorder? {
        guard !args.has("no-log") else { return nil }
        let store = try RunRecorder.openStore(try RunsDatabase.path(args))
        let source: RewardSource = settings.rewardCommand.map { .program(command: ["/bin/sh", "-c", "exec " + $0]) }
            ?? .builtIn
        return try RunRecorder(store: store, settings: settings, reward: reward, rewardSource: source,
                               name: args.string("name"))
    }

    /// Runs the remaining epochs, logging each, then prints the results.
    static func train(_ trainer: Trainer, split: DataSplit, settings: TrainSettings, recorder: RunRecorder?,
                      json: Bool, quiet: Bool) throws {
        let started = Date()
        let startStep = trainer.step
        let totalSteps = trainer.totalSteps(trainingCount: split.train.count)
        let progress = ProgressReporter(label: "train", total: totalSteps, unit: "steps", enabled: !quiet)
        var lastEvaluation = trainer.epoch > 0 ? trainer.evaluate(split.test) : Evaluation(accuracy: 0, loss: 0)
        var lastSummary: EpochSummary?
        trainer.onStep = { _, _ in
            progress.update(done: trainer.step + 1, samples: (trainer.step + 1 - startStep) * settings.batchSize)
        }
        while trainer.epoch < settings.epochs {
            let epochStart = Date()
            let rate = settings.configuration.schedule.rate(peak: settings.learningRate, step: trainer.step,
                                                            totalSteps: totalSteps)
            let summary: EpochSummary
            do { summary = try trainer.trainEpoch(on: split.train) } catch {
                throw CLIError.trainingFailed(epoch: trainer.epoch + 1, error)
            }
            if summary.interrupted {
                let where_ = recorder.map { " (run \($0.runID): continue with 'lfp train --resume \($0.runID)')" } ?? ""
                throw CLIError.interrupted("interrupted after \(trainer.epoch) completed epochs\(where_)")
            }
            lastSummary = summary
            lastEvaluation = trainer.evaluate(split.test)
            try recorder?.logEpoch(summary, test: lastEvaluation, learningRate: rate,
                                   seconds: Date().timeIntervalSince(epochStart), trainer: trainer)
            if !quiet {
                var line = String(format: "epoch %d/%d  train_acc %.4f  test_acc %.4f  loss %.4f", summary.epoch,
                                  settings.epochs, summary.trainAccuracy, lastEvaluation.accuracy, summary.trainLoss)
                if settings.method == .lfp { line += String(format: "  reward %.4f", summary.trainReward) }
                if json { printError(line) } else { print(line) }
            }
            guard summary.trainLoss.isFinite else {
                throw CLIError.software("training diverged in epoch \(summary.epoch) (loss is not finite); try a smaller --lr")
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let trainEvaluation = trainer.evaluate(split.train)
        var results: [String: Any] = [
            "dataset": settings.dataset, "model": settings.model, "method": settings.method.rawValue,
            "reward": settings.reward, "learning_rate": Double(settings.learningRate), "seed": settings.seed,
            "epochs": trainer.epoch, "steps": trainer.step,
            "train_accuracy": trainEvaluation.accuracy, "test_accuracy": lastEvaluation.accuracy,
            "train_loss": trainEvaluation.loss, "test_loss": lastEvaluation.loss,
            "mean_reward": lastSummary?.trainReward ?? 0, "seconds": seconds,
            "samples_per_second": Double((trainer.step - startStep) * settings.batchSize) / max(seconds, 1e-9),
        ]
        if let recorder { results["run_id"] = recorder.runID }
        if json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "done: %@ %@ on %@, train accuracy %.4f, test accuracy %.4f, %.1f s",
                         settings.method.rawValue, settings.model, settings.dataset,
                         trainEvaluation.accuracy, lastEvaluation.accuracy, seconds)
                  + (recorder.map { " (run \($0.runID))" } ?? ""))
        }
    }
}
