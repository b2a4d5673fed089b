/// Trains a model with LFP or with its gradient baseline, one shuffled mini-batch at a time.
/// Given the same seed, data and OpenBLAS thread count, a run is bit-for-bit reproducible,
/// including across a checkpoint and resume.
public final class Trainer: LoopDriven {
    /// The network being trained.
    public let model: Layer
    /// The training settings.
    public let configuration: TrainingConfiguration
    /// The objective LFP propagates.
    public let reward: Reward
    /// The objective the gradient baseline descends.
    public let loss: Loss
    /// The propagator (its rules follow the method).
    public let propagator: Propagator
    /// Shuffling, counters, schedule, stop requests and progress callbacks.
    public let loop: TrainingLoop

    private let parameters: [Parameter]
    private let lfpUpdate: LFPUpdate
    private var batch = Tensor(shape: [0])
    private var batchLabels: [Int] = []
    private var lossGradient = Tensor(shape: [0])
    private let reportLoss = SoftmaxCrossEntropy()

    /// A trainer for `model`; the shuffling stream derives from the configuration's seed.
    public init(model: Layer, configuration: TrainingConfiguration, reward: Reward,
                loss: Loss = SoftmaxCrossEntropy()) {
        self.model = model
        self.configuration = configuration
        self.reward = reward
        self.loss = loss
        self.propagator = Propagator(rules: configuration.rules)
        self.parameters = model.allParameters
        self.lfpUpdate = LFPUpdate(model: model, propagator: propagator, optimizer: configuration.optimizer)
        self.loop = TrainingLoop(configuration: configuration)
    }

    /// One update from `input` with class `labels`. The reported loss is the softmax
    /// cross-entropy for LFP (for comparison) and the trained loss for the gradient baseline.
    public func trainStep(input: Tensor, labels: [Int], learningRate: Float) throws -> StepResult {
        let outputs = model.forward(input, mode: .train)
        let correct = Self.correctCount(outputs, labels)
        switch configuration.method {
        case .lfp:
            let lossValue = reportLoss.evaluate(outputs: outputs, labels: labels, gradient: &lossGradient)
            let r = try lfpUpdate(reward: reward, outputs: outputs, targets: .classes(labels), input: input,
                                  learningRate: learningRate)
            return StepResult(loss: lossValue, reward: r.sum() / Double(max(labels.count, 1)),
                              correct: correct, count: labels.count)
        case .gradient:
            let lossValue = loss.evaluate(outputs: outputs, labels: labels, gradient: &lossGradient)
            propagator.propagate(lossGradient, through: model, input: input)
            configuration.optimizer.step(parameters, direction: .gradient, learningRate: learningRate)
            return StepResult(loss: lossValue, reward: 0, correct: correct, count: labels.count)
        }
    }

    /// One pass over `data` in shuffled mini-batches.
    public func trainEpoch(on data: Dataset) throws -> EpochSummary {
        var lossSum = 0.0, rewardSum = 0.0, correct = 0, seen = 0, batches = 0
        let interrupted = try loop.runEpoch(count: data.count) { indices, rate in
            data.gather(indices, into: &batch, labels: &batchLabels)
            let result = try trainStep(input: batch, labels: batchLabels, learningRate: rate)
            batches += 1
            lossSum += result.loss
            rewardSum += result.reward * Double(result.count)
            correct += result.correct
            seen += result.count
        }
        return EpochSummary(epoch: epoch, step: step, trainLoss: lossSum / Double(max(batches, 1)),
                            trainReward: rewardSum / Double(max(seen, 1)),
                            trainAccuracy: Double(correct) / Double(max(seen, 1)), interrupted: interrupted)
    }

    /// Accuracy and loss of the model on `data`, in evaluation mode.
    public func evaluate(_ data: Dataset, batchSize: Int = 1000) -> Evaluation {
        var correct = 0, lossSum = 0.0
        var input = Tensor(shape: [0]), labels: [Int] = [], scratch = Tensor(shape: [0])
        var start = 0
        let all = Array(0..<data.count)
        while start < data.count {
            let end = min(start + batchSize, data.count)
            data.gather(all[start..<end], into: &input, labels: &labels)
            let outputs = model.forward(input, mode: .eval)
            lossSum += reportLoss.evaluate(outputs: outputs, labels: labels, gradient: &scratch) * Double(end - start)
            correct += Self.correctCount(outputs, labels)
            start = end
        }
        return Evaluation(accuracy: Double(correct) / Double(max(data.count, 1)),
                          loss: lossSum / Double(max(data.count, 1)))
    }

    /// Every dropout layer of `layer`, in forward order (their mask generators are run state).
    static func dropoutLayers(in layer: Layer) -> [Dropout] {
        if let dropout = layer as? Dropout { return [dropout] }
        return (layer as? LayerContainer)?.children.flatMap { dropoutLayers(in: $0) } ?? []
    }

    static func correctCount(_ outputs: Tensor, _ labels: [Int]) -> Int {
        zip(outputs.argmaxRows(), labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    }

    /// Everything needed to continue this run later exactly where it stands.
    public func checkpoint() -> TrainingCheckpoint {
        TrainingCheckpoint(model: ModelSnapshot(of: model),
                           velocities: Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.velocity) }),
                           rng: loop.rng, step: step, epoch: epoch, configuration: configuration,
                           dropoutGenerators: Dictionary(uniqueKeysWithValues: Self.dropoutLayers(in: model).map {
                               ($0.name, $0.rng)
                           }))
    }

    /// Continues from `checkpoint` with the model, optimizer state and shuffling stream it holds.
    public convenience init(resuming checkpoint: TrainingCheckpoint, reward: Reward,
                            loss: Loss = SoftmaxCrossEntropy()) throws {
        let model = try checkpoint.model.restore()
        self.init(model: model, configuration: checkpoint.configuration, reward: reward, loss: loss)
        for p in model.allParameters {
            if let v = checkpoint.velocities[p.name], v.shape == p.value.shape { p.velocity = v }
        }
        for layer in Self.dropoutLayers(in: model) {
            if let generator = checkpoint.dropoutGenerators[layer.name] { layer.rng = generator }
        }
        loop.rng = checkpoint.rng
        loop.step = checkpoint.step
        loop.epoch = checkpoint.epoch
    }
}
