import Foundation
import LFP
import Rewards

/// The fully resolved settings of one `lfp train` run: command-line options over a `--config`
/// JSON file over the dataset's paper defaults. Stored as the run's configuration.
struct TrainSettings: Codable, Equatable {
    var dataset: String
    var dataDir: String?
    /// Training CSV of `--dataset csv`.
    var dataFile: String?
    /// Test CSV of `--dataset csv` (else a fifth of the training file).
    var testFile: String?
    var model: String
    var activation: String
    var method: TrainingMethod
    var rule: String
    var epsilon: Float
    var reward: String
    var learningRate: Float
    var momentum: Float
    var weightDecay: Float
    var batchSize: Int
    var epochs: Int
    var seed: UInt64
    var schedule: String
    var clipNorm: Float?
    var adaptiveClip: Float?
    var dropout: Float
    var threads: Int
    var trainLimit: Int?
    /// `classify` (class labels) or `sequence` (digit strings, see SequenceTrainCommand).
    var task: String = "classify"
    /// Output positions of the sequence head (`--task sequence`).
    var positions: Int = 4
    /// A reward program to train with instead of a catalog reward (`--reward-command`).
    var rewardCommand: String?
    /// Seconds the reward program may take per batch (`--reward-timeout`).
    var rewardTimeout: Double = 30

    /// Options that take a value, shared by parsing and `--config` files.
    static let valuedOptions: Set<String> = [
        "dataset", "data-dir", "data-file", "test-file", "model", "activation", "method", "rule", "epsilon", "reward", "lr",
        "momentum", "weight-decay", "batch-size", "epochs", "seed", "schedule", "clip-norm",
        "adaptive-clip", "dropout", "threads", "train-limit",
        "task", "positions", "reward-command", "reward-timeout",
    ]

    static let activations: [String: LayerKind] = [
        "relu": .relu, "leaky-relu": .leakyReLU, "silu": .silu, "elu": .elu, "tanh": .tanh,
        "sigmoid": .sigmoid, "heaviside": .heaviside, "step": .heaviside, "identity": .identity,
    ]

    /// Resolves settings from parsed arguments (and the config file they name).
    init(_ args: CommandLineArguments) throws {
        var values = try Self.configValues(path: args.string("config"))
        for (key, value) in args.options where Self.valuedOptions.contains(key) { values[key] = value }
        let given = try CommandLineArguments(values.flatMap { ["--\($0.key)", $0.value] },
                                             options: Self.valuedOptions, flags: [])
        let datasetNames = DatasetPreset.all.map(\.name)
        task = try given.choice("task", from: ["classify", "sequence"]) ?? "classify"
        dataset = try given.choice("dataset", from: datasetNames) ?? (task == "sequence" ? "digit-strings" : "swirl")
        if dataset == "digit-strings" { task = "sequence" }
        positions = try given.int("positions", min: 1) ?? 4
        rewardCommand = given.string("reward-command")
        rewardTimeout = try given.double("reward-timeout", min: 0.001) ?? 30
        let preset = DatasetPreset.named(dataset)!
        let datasetName = dataset
        dataFile = given.string("data-file")
        testFile = given.string("test-file")
        dataDir = given.string("data-dir") ?? ProcessInfo.processInfo.environment["LFP_DATA_DIR"].map {
            ($0 as NSString).appendingPathComponent(datasetName)
        }
        let modelText = given.string("model") ?? preset.model
        _ = try ModelDescription(parsingForCLI: modelText)
        model = modelText
        activation = try given.choice("activation", from: Self.activations.keys.sorted()) ?? "relu"
        method = TrainingMethod(rawValue: try given.choice("method", from: ["lfp", "gradient"]) ?? "lfp")!
        rule = try given.choice("rule", from: ["epsilon", "zero"]) ?? "epsilon"
        epsilon = rule == "zero" ? 0 : Float(try given.double("epsilon", min: 0) ?? 1e-6)
        reward = given.string("reward") ?? (task == "sequence" ? "levenshtein" : "softmax-ce")
        let defaultRate = method == .lfp ? preset.lfpLearningRate : preset.gradientLearningRate
        learningRate = Float(try given.double("lr", min: 0) ?? Double(defaultRate))
        momentum = Float(try given.double("momentum", min: 0) ?? Double(preset.momentum))
        guard momentum < 1 else { throw CLIError.usage("--momentum must be below 1, got \(momentum)") }
        weightDecay = Float(try given.double("weight-decay", min: 0) ?? 0)
        batchSize = try given.int("batch-size", min: 1) ?? preset.batchSize
        epochs = try given.int("epochs", min: 1) ?? preset.epochs
        seed = UInt64(try given.int("seed", min: 0) ?? 1)
        schedule = try given.choice("schedule", from: ["constant", "one-cycle"]) ?? preset.schedule
        clipNorm = try given.double("clip-norm", min: 0).map(Float.init)
        adaptiveClip = try given.double("adaptive-clip", min: 0).map(Float.init)
        dropout = Float(try given.double("dropout", min: 0) ?? 0)
        guard dropout < 1 else { throw CLIError.usage("--dropout must be below 1, got \(dropout)") }
        threads = try given.int("threads", min: 1) ?? 1
        trainLimit = try given.int("train-limit", min: 1)
    }

    /// Option values from a JSON config file whose keys are option names (`"lr": 0.01`).
    static func configValues(path: String?) throws -> [String: String] {
        guard let path else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.noInput("cannot read config file \(path)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CLIError.data("config file \(path) is not a JSON object")
        }
        var values: [String: String] = [:]
        for (key, value) in object {
            guard valuedOptions.contains(key) else {
                throw CLIError.data("config file \(path): unknown key '\(key)' (keys are option names, e.g. \"lr\")")
            }
            switch value {
            case let s as String: values[key] = s
            case let n as NSNumber: values[key] = n.stringValue
            default: throw CLIError.data("config file \(path): value of '\(key)' must be a string or number")
            }
        }
        return values
    }

    /// The engine configuration these settings describe.
    var configuration: TrainingConfiguration {
        let clipping: Clipping? = clipNorm.map { .globalNorm(maxNorm: $0) } ?? adaptiveClip.map { .adaptive(lambda: $0) }
        return TrainingConfiguration(
            method: method, epsilon: epsilon, learningRate: learningRate,
            schedule: schedule == "one-cycle" ? .oneCycle : .constant,
            optimizer: SGD(momentum: momentum, weightDecay: weightDecay, clipping: clipping),
            batchSize: batchSize, epochs: epochs, seed: seed)
    }

    /// The training and test data, limited by `--train-limit`.
    func loadData() throws -> DataSplit {
        var split = try DatasetPreset.named(dataset)!.load(dataDirectory: dataDir, files: CSVFiles(train: dataFile, test: testFile),
                                                               seed: seed)
        if let trainLimit { split.train = split.train.prefix(trainLimit) }
        return split
    }

    /// The network these settings describe, for data shaped like `split`.
    func buildModel(for split: DataSplit) throws -> Layer {
        let description = try ModelDescription(parsingForCLI: model)
        let spec = description.spec(sampleShape: split.train.sampleShape, classes: split.train.classCount,
                                    activation: Self.activations[activation]!, dropout: dropout)
        var rng = SeededGenerator(seed: seed)
        return spec.build(rng: &rng)
    }
}

extension ModelDescription {
    /// Parses a `--model` value, turning a parse failure into a usage error.
    init(parsingForCLI text: String) throws {
        do { try self.init(parsing: text) } catch let error as ModelDescriptionError {
            throw CLIError.usage(error.description)
        }
    }
}
