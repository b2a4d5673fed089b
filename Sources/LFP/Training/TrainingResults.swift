/// What one training step measured.
public struct StepResult: Sendable {
    /// Softmax cross-entropy of the batch (mean), for both methods, for comparison.
    public var loss: Double
    /// Mean over samples of the summed initial reward (LFP; 0 for the gradient baseline).
    public var reward: Double
    /// Correctly classified samples of the batch (from the training forward pass).
    public var correct: Int
    /// Samples in the batch.
    public var count: Int
}

/// What one epoch measured.
public struct EpochSummary: Sendable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Steps taken so far in the whole run.
    public var step: Int
    /// Mean training loss over the epoch's batches.
    public var trainLoss: Double
    /// Mean reward per sample over the epoch (LFP).
    public var trainReward: Double
    /// Accuracy on the training batches as they were seen.
    public var trainAccuracy: Double
    /// Whether the epoch stopped early because a stop was requested.
    public var interrupted: Bool

    /// An epoch's measurements.
    public init(epoch: Int, step: Int, trainLoss: Double, trainReward: Double, trainAccuracy: Double,
                interrupted: Bool) {
        self.epoch = epoch
        self.step = step
        self.trainLoss = trainLoss
        self.trainReward = trainReward
        self.trainAccuracy = trainAccuracy
        self.interrupted = interrupted
    }
}

/// Accuracy and loss of a model on a dataset.
public struct Evaluation: Sendable {
    /// Fraction classified correctly.
    public var accuracy: Double
    /// Mean softmax cross-entropy.
    public var loss: Double

    /// An evaluation result.
    public init(accuracy: Double, loss: Double) {
        self.accuracy = accuracy
        self.loss = loss
    }
}
