/// One LFP update of a model from a batch it has just run forward (Section 3.1): asks the reward
/// for the initial reward of every output, checks it, propagates it with the LFP rules (Eq. 6)
/// and ascends the resulting feedback `|θ| ⊙ J_θ(s)` (Eq. 4–7) with the optimizer. Shared by
/// every trainer, whatever its targets.
public struct LFPUpdate {
    /// The network updated.
    public let model: Layer
    /// The propagator carrying the LFP rules.
    public let propagator: Propagator
    /// The optimizer that ascends the feedback.
    public let optimizer: SGD
    private let parameters: [Parameter]

    /// An update of `model` with `propagator`'s rules and `optimizer`.
    public init(model: Layer, propagator: Propagator, optimizer: SGD) {
        self.model = model
        self.propagator = propagator
        self.optimizer = optimizer
        self.parameters = model.allParameters
    }

    /// Rewards `outputs` (the model's output for `input`) against `targets`, propagates and
    /// steps. Returns the initial reward. Throws, naming the reward, when it fails or returns
    /// the wrong shape or non-finite values; the weights are then untouched.
    @discardableResult
    public func callAsFunction(reward: Reward, outputs: Tensor, targets: Targets, input: Tensor,
                               learningRate: Float) throws -> Tensor {
        let r = try reward(outputs: outputs, targets: targets)
        guard r.shape == outputs.shape else {
            throw RewardError.shapeMismatch(reward: reward.info.id, detail: "returned \(r.shape) for outputs \(outputs.shape)")
        }
        try reward.checkFinite(r)
        propagator.propagate(r, through: model, input: input)
        optimizer.step(parameters, direction: .feedback, learningRate: learningRate)
        return r
    }
}
