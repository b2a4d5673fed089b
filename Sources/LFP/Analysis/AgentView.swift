/// The agent view of the last propagation: every neuron is an agent with its own local reward
/// (Section 3.1, Eq. 3). For each layer it keeps the reward each neuron received at the layer's
/// output and the share of neurons that were rewarded (> 0), punished (< 0) or passed over (= 0)
/// — LFP leaves neurons that did not contribute untouched, which is where its update sparsity
/// comes from. Record it by setting `Propagator.recordsLayerSignals` before the pass.
public struct AgentView: Sendable {
    /// One layer's agents.
    public struct LayerAgents: Sendable {
        /// The layer's name.
        public var layer: String
        /// The reward every neuron received, shaped like the layer's output.
        public var rewards: Tensor
        /// Fraction of neurons (over the batch) with positive reward.
        public var rewardedFraction: Double
        /// Fraction with negative reward.
        public var punishedFraction: Double
        /// Fraction with exactly zero reward (no update flows through them).
        public var untouchedFraction: Double { 1 - rewardedFraction - punishedFraction }
    }

    /// Layers in forward order.
    public var layers: [LayerAgents]

    /// The view of `propagator`'s last pass (empty unless it recorded layer signals).
    public init(of propagator: Propagator) {
        layers = propagator.layerSignals.reversed().map { entry in
            var positive = 0, negative = 0
            for v in entry.signal.scalars {
                if v > 0 { positive += 1 } else if v < 0 { negative += 1 }
            }
            let n = Double(max(entry.signal.count, 1))
            return LayerAgents(layer: entry.layer, rewards: entry.signal, rewardedFraction: Double(positive) / n,
                               punishedFraction: Double(negative) / n)
        }
    }

    /// The agents of the layer named `name`, if it was recorded.
    public subscript(layer name: String) -> LayerAgents? {
        layers.first { $0.layer == name }
    }
}
