import Foundation
import LFP
import Rewards

/// `lfp train`: trains a model on a dataset with LFP or the gradient baseline and reports its
/// accuracy; with `--json` the last line on stdout is one JSON object of results.
enum TrainCommand {
    static let help = """
    usage: lfp train [options]

    Train a network with Layer-wise Feedback Propagation (or its gradient baseline).
    Defaults are the paper's settings for the chosen dataset.

    data and model:
      --dataset NAME        blobs, circles, swirl (built in), mnist, fashion-mnist (default swirl)
      --data-dir DIR        folder with the IDX files (or set LFP_DATA_DIR to their parent)
      --train-limit N       train on the first N training samples only
      --model SPEC          mlp:W1,W2,...  or  resmlp:WIDTHxBLOCKS (default: the dataset's)
      --activation NAME     relu, leaky-relu, silu, elu, tanh, sigmoid, heaviside, identity (relu)
      --dropout P           dropout after each hidden layer (0)

    method:
      --method lfp|gradient LFP (default) or gradient descent with softmax cross-entropy
      --rule epsilon|zero   LFP-epsilon (default) or LFP-0
      --epsilon E           epsilon of the LFP-epsilon rule (1e-6)
      --reward ID           initial reward (softmax-ce); see 'lfp rewards list'

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

    output:
      --config FILE         JSON object of option values (keys as above, e.g. {"lr": 0.01})
      --json                print the results as one JSON object (the last line of stdout)
      --quiet               no progress or per-epoch lines
      --help                this text

    exit codes: 0 success, 64 bad arguments, 65 bad data, 66 missing input, 70 failure
    """

    static func run(_ words: [String]) throws {
        if words.contains("--help") || words.contains("-h") {
            print(help)
            return
        }
        let args = try CommandLineArguments(words, options: TrainSettings.valuedOptions.union(["config"]),
                                            flags: ["json", "quiet"])
        guard args.positionals.isEmpty else {
            throw CLIError.usage("unexpected argument '\(args.positionals[0])' (see --help)")
        }
        let settings = try TrainSettings(args)
        let json = args.has("json"), quiet = args.has("quiet")
        Kernels.setThreadCount(settings.threads)

        let reward: Reward
        do { reward = try RewardCatalog.reward(id: settings.reward) } catch {
            throw CLIError.usage("\(error)")
        }
        var split = try DatasetPreset.named(settings.dataset)!.load(dataDirectory: settings.dataDir, seed: settings.seed)
        if let limit = settings.trainLimit { split.train = split.train.prefix(limit) }
        let model = try settings.buildModel(for: split)
        let trainer = Trainer(model: model, configuration: settings.configuration, reward: reward)

        let started = Date()
        let totalSteps = trainer.totalSteps(trainingCount: split.train.count)
        let progress = ProgressReporter(label: "train", total: totalSteps, unit: "steps", enabled: !quiet)
        var lastEvaluation = Evaluation(accuracy: 0, loss: 0)
        var lastSummary: EpochSummary?
        trainer.onStep = { _, _ in
            progress.update(done: trainer.step + 1, samples: (trainer.step + 1) * settings.batchSize)
        }
        for _ in 0..<settings.epochs {
            let summary: EpochSummary
            do { summary = try trainer.trainEpoch(on: split.train) } catch {
                throw CLIError.software("training failed in epoch \(trainer.epoch + 1): \(error)")
            }
            lastSummary = summary
            lastEvaluation = trainer.evaluate(split.test)
            if !quiet {
                let line = String(format: "epoch %d/%d  train_acc %.4f  test_acc %.4f  loss %.4f  reward %.4f",
                                  summary.epoch, settings.epochs, summary.trainAccuracy, lastEvaluation.accuracy,
                                  summary.trainLoss, summary.trainReward)
                if json { printError(line) } else { print(line) }
            }
            guard summary.trainLoss.isFinite else {
                throw CLIError.software("training diverged in epoch \(summary.epoch) (loss is not finite); try a smaller --lr")
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let trainEvaluation = trainer.evaluate(split.train)
        let results: [String: Any] = [
            "dataset": settings.dataset, "model": settings.model, "method": settings.method.rawValue,
            "reward": settings.reward, "learning_rate": Double(settings.learningRate), "seed": settings.seed,
            "epochs": trainer.epoch, "steps": trainer.step,
            "train_accuracy": trainEvaluation.accuracy, "test_accuracy": lastEvaluation.accuracy,
            "train_loss": trainEvaluation.loss, "test_loss": lastEvaluation.loss,
            "mean_reward": lastSummary?.trainReward ?? 0, "seconds": seconds,
            "samples_per_second": Double(trainer.step * settings.batchSize) / max(seconds, 1e-9),
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "done: %@ %@ on %@, train accuracy %.4f, test accuracy %.4f, %.1f s",
                         settings.method.rawValue, settings.model, settings.dataset,
                         trainEvaluation.accuracy, lastEvaluation.accuracy, seconds))
        }
    }
}
