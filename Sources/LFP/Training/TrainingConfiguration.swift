/// How parameters are updated: LFP (reward propagation, no derivatives) or the gradient baseline.
public enum TrainingMethod: String, Sendable, Codable, CaseIterable {
    case lfp
    case gradient
}

/// Everything that decides how a model is trained, apart from the model, data and reward.
/// Plain data, so a run log can store it and a resumed run can reuse it.
public struct TrainingConfiguration: Sendable, Codable, Equatable {
    /// LFP or gradient descent.
    public var method: TrainingMethod
    /// ε of the LFP-ε rule (Eq. 6); 0 gives LFP-0.
    public var epsilon: Float
    /// Peak learning rate `η`.
    public var learningRate: Float
    /// How the learning rate changes over the steps.
    public var schedule: LearningRateSchedule
    /// Momentum, weight decay and clipping.
    public var optimizer: SGD
    /// Samples per step.
    public var batchSize: Int
    /// Passes over the training set.
    public var epochs: Int
    /// Seed of initialisation, shuffling and dropout.
    public var seed: UInt64

    /// A configuration; defaults are the paper's toy-data settings with reward #3.
    public init(method: TrainingMethod = .lfp, epsilon: Float = 1e-6, learningRate: Float = 0.01,
                schedule: LearningRateSchedule = .constant, optimizer: SGD = SGD(momentum: 0.95),
                batchSize: Int = 128, epochs: Int = 10, seed: UInt64 = 1) {
        self.method = method
        self.epsilon = epsilon
        self.learningRate = learningRate
        self.schedule = schedule
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.epochs = epochs
        self.seed = seed
    }

    /// The propagation rules this configuration trains with.
    public var rules: RuleMap {
        method == .lfp ? .lfpEpsilon(epsilon) : .gradient
    }
}
