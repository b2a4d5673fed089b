/// What one sequence-training epoch measured.
public struct SequenceEpochSummary: Sendable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Steps taken so far in the whole run.
    public var step: Int
    /// Mean reward per sample over the epoch.
    public var trainReward: Double
    /// Decoding quality on the training batches as they were seen.
    public var train: SequenceEvaluation
    /// Whether the epoch stopped early because a stop was requested.
    public var interrupted: Bool
}

/// Trains a sequence head (`SequenceLayout`: outputs `[N, T·(A+1)]`) with LFP: each batch's
/// outputs and `.sequences` targets go to the reward (e.g. Levenshtein), whose per-position
/// rewards are propagated and ascended exactly as `Trainer` does for classes. It reports mean
/// edit distance and exact-match rate instead of accuracy. LFP only: a sequence reward needs
/// no loss gradient.
public final class SequenceTrainer: LoopDriven {
    /// The network being trained; its output width must be `layout.width`.
    public let model: Layer
    /// The training settings (`method` must be `.lfp`).
    public let configuration: TrainingConfiguration
    /// The objective LFP propagates; it receives `.sequences` targets.
    public let reward: Reward
    /// The output layout the model's head follows.
    public let layout: SequenceLayout
    /// The propagator (LFP-ε rules from the configuration).
    public let propagator: Propagator
    /// Shuffling, counters, schedule, stop requests and progress callbacks.
    public let loop: TrainingLoop

    private let lfpUpdate: LFPUpdate
    private var batch = Tensor(shape: [0])
    private var batchSequences: [[Int]] = []

    /// A trainer for `model` with head `layout`; shuffling derives from the configuration's seed.
    public init(model: Layer, configuration: TrainingConfiguration, reward: Reward, layout: SequenceLayout) {
        precondition(configuration.method == .lfp, "SequenceTrainer trains with LFP only")
        self.model = model
        self.configuration = configuration
        self.reward = reward
        self.layout = layout
        self.propagator = Propagator(rules: configuration.rules)
        self.lfpUpdate = LFPUpdate(model: model, propagator: propagator, optimizer: configuration.optimizer)
        self.loop = TrainingLoop(configuration: configuration)
    }

    /// One LFP update from `input` with target `sequences`; returns the summed reward, the summed
    /// edit distance and the exact matches of the batch (from the training forward pass).
    public func trainStep(input: Tensor, sequences: [[Int]], learningRate: Float) throws
        -> (reward: Double, distance: Int, exact: Int) {
        let outputs = model.forward(input, mode: .train)
        guard outputs.columns == layout.width else {
            throw RewardError.shapeMismatch(reward: reward.info.id,
                                            detail: "model emits \(outputs.columns) columns, head needs \(layout.width)")
        }
        let tally = SequenceEvaluation.tally(outputs: outputs, targets: sequences, layout: layout)
        let r = try lfpUpdate(reward: reward, outputs: outputs, targets: .sequences(sequences), input: input,
                              learningRate: learningRate)
        return (r.sum(), tally.distance, tally.exact)
    }

    /// One pass over `data` in shuffled mini-batches.
    public func trainEpoch(on data: SequenceDataset) throws -> SequenceEpochSummary {
        var rewardSum = 0.0, distance = 0, exact = 0, seen = 0
        let interrupted = try loop.runEpoch(count: data.count) { indices, rate in
            data.gather(indices, into: &batch, sequences: &batchSequences)
            let result = try trainStep(input: batch, sequences: batchSequences, learningRate: rate)
            rewardSum += result.reward
            distance += result.distance
            exact += result.exact
            seen += indices.count
        }
        let n = Double(max(seen, 1))
        return SequenceEpochSummary(epoch: epoch, step: step, trainReward: rewardSum / n,
                                    train: SequenceEvaluation(meanEditDistance: Double(distance) / n,
                                                              exactMatchRate: Double(exact) / n, count: seen),
                                    interrupted: interrupted)
    }

    /// Mean edit distance and exact-match rate of the model on `data`, in evaluation mode.
    public func evaluate(_ data: SequenceDataset, batchSize: Int = 1000) -> SequenceEvaluation {
        var distance = 0, exact = 0, start = 0
        var input = Tensor(shape: [0]), targets: [[Int]] = []
        let all = Array(0..<data.count)
        while start < data.count {
            let end = min(start + batchSize, data.count)
            data.gather(all[start..<end], into: &input, sequences: &targets)
            let tally = SequenceEvaluation.tally(outputs: model.forward(input, mode: .eval), targets: targets,
                                                 layout: layout)
            distance += tally.distance
            exact += tally.exact
            start = end
        }
        let n = Double(max(data.count, 1))
        return SequenceEvaluation(meanEditDistance: Double(distance) / n, exactMatchRate: Double(exact) / n,
                                  count: data.count)
    }
}
