import Foundation
import Testing
@testable import LFP

@Suite("agent view")
struct AgentViewTests {
    @Test("dead ReLU neurons receive no reward and the fractions count rewarded, punished and untouched neurons")
    func fractionsCountNeuronsByRewardSign() throws {
        // fc1: z = x·Wᵀ with W = [[1, 0], [-1, 0], [0, 1]], x = [[2, 1]] → z = [2, −2, 1];
        // ReLU kills the second neuron. fc2: out = h·[1, 1, −1]ᵀ = 2 − 1 = 1 with reward r = 1.
        var rng = SeededGenerator(seed: 1)
        let fc1 = Dense(name: "fc1", inputSize: 2, outputSize: 3, bias: false, rng: &rng)
        fc1.weight.value = Tensor(shape: [3, 2], scalars: [1, 0, -1, 0, 0, 1])
        let fc2 = Dense(name: "fc2", inputSize: 3, outputSize: 1, bias: false, rng: &rng)
        fc2.weight.value = Tensor(shape: [1, 3], scalars: [1, 1, -1])
        let model = Sequential([fc1, Activation(.relu, name: "act1"), fc2])
        let x = Tensor(shape: [1, 2], scalars: [2, 1])
        model.forward(x, mode: .train)
        let propagator = Propagator(rules: .lfpZero)
        propagator.recordsLayerSignals = true
        propagator.propagate(Tensor(shape: [1, 1], scalars: [1]), through: model, input: x)
        let view = AgentView(of: propagator)
        #expect(view.layers.map(\.layer) == ["fc1", "act1", "fc2"])
        // LFP-0 at fc2: s = 1/1; reward to h = h ⊙ Wᵀs = [2·1, 0·1, 1·(−1)] = [2, 0, −1].
        let act = try #require(view[layer: "act1"])
        #expect(act.rewards.scalars == [2, 0, -1])
        #expect(abs(act.rewardedFraction - 1.0 / 3) < 1e-12)
        #expect(abs(act.punishedFraction - 1.0 / 3) < 1e-12)
        #expect(abs(act.untouchedFraction - 1.0 / 3) < 1e-12)
        #expect(view[layer: "fc2"]?.rewards.scalars == [1])
    }

    @Test("without recording, the view is empty")
    func emptyWithoutRecording() {
        let propagator = Propagator(rules: .lfpEpsilon())
        #expect(AgentView(of: propagator).layers.isEmpty)
    }
}
