import Foundation
import Testing
@testable import LFP

/// Conservation (Section 3.1, DESIGN §3): without biases, LFP-0 hands every layer's input exactly
/// the reward that arrived at its output, so `Σ_i r_i` is the same at every layer and at the
/// network's input. Biases absorb part of it; a small ε almost conserves it.
@Suite struct ConservationTests {
    /// The summed initial reward, the sum of the signal recorded at every layer's output, and the
    /// sum at the network input, under `rules`.
    private func sums(_ model: Sequential, rules: RuleMap, inputs: Int, classes: Int, seed: UInt64)
        -> (initial: Double, absolute: Double, layers: [(String, Double)], input: Double) {
        var rng = SeededGenerator(seed: seed &+ 500)
        let x = TestNets.normal([8, inputs], rng: &rng)
        let labels = TestNets.labels(8, classes: classes, rng: &rng)
        let outputs = model.forward(x, mode: .train)
        let reward = ConformanceRewards.softmaxLoss(outputs, labels: labels)
        let propagator = Propagator(rules: rules)
        propagator.recordsLayerSignals = true
        let inputSignal = propagator.propagate(reward, through: model, input: x, needsInputSignal: true)
        let layers = propagator.layerSignals.map { ($0.layer, $0.signal.sum()) }
        let absolute = reward.scalars.reduce(0.0) { $0 + Double(Swift.abs($1)) }
        return (reward.sum(), absolute, layers, inputSignal.sum())
    }

    static let shapes: [[Int]] = [[2, 8, 6, 3], [5, 16, 16, 4], [4, 32, 3]]

    @Test(arguments: [LayerKind.relu, .tanh, .leakyReLU, .silu], shapes)
    func biasFreeLFPZeroConservesRewardAtEveryLayer(activation: LayerKind, sizes: [Int]) {
        for seed: UInt64 in [1, 2, 3] {
            let model = TestNets.mlp(sizes, activation: activation, bias: false, seed: seed)
            let s = sums(model, rules: .lfpZero, inputs: sizes[0], classes: sizes.last!, seed: seed)
            // The check is only meaningful when the total is not a cancellation artefact.
            #expect(Swift.abs(s.initial) > 0.01 * s.absolute, "seed \(seed): total reward too close to 0")
            let tolerance = 1e-4 * Swift.abs(s.initial)
            // Dense, activation, Dense, …: one recorded signal per layer, plus the input.
            #expect(s.layers.count == 2 * sizes.count - 3)
            for (layer, total) in s.layers {
                #expect(Swift.abs(total - s.initial) <= tolerance,
                        "\(activation) seed \(seed): Σ reward at \(layer) = \(total), initial \(s.initial)")
            }
            #expect(Swift.abs(s.input - s.initial) <= tolerance,
                    "\(activation) seed \(seed): Σ reward at the input = \(s.input), initial \(s.initial)")
        }
    }

    @Test func biasFreeLFPZeroConservesThroughResidualBlock() {
        for seed: UInt64 in [4, 5] {
            let model = TestNets.residualMLP(inputs: 5, width: 8, classes: 3, activation: .relu, bias: false, seed: seed)
            let s = sums(model, rules: .lfpZero, inputs: 5, classes: 3, seed: seed)
            let tolerance = 1e-4 * Swift.abs(s.initial)
            #expect(s.layers.contains { $0.0 == "res" })
            // Inside the branch only part of the reward flows (the rest takes the skip): check the
            // main chain and the input.
            for (layer, total) in s.layers where !layer.hasPrefix("res.") {
                #expect(Swift.abs(total - s.initial) <= tolerance, "seed \(seed): Σ at \(layer) = \(total) vs \(s.initial)")
            }
            #expect(Swift.abs(s.input - s.initial) <= tolerance, "seed \(seed): Σ at input = \(s.input) vs \(s.initial)")
        }
    }

    /// With biases the bias terms take their share `Σ b·s`, so the input receives a different total.
    @Test func biasesAbsorbPartOfTheReward() {
        for seed: UInt64 in [1, 2, 3] {
            let model = TestNets.mlp([5, 16, 16, 4], activation: .relu, bias: true, seed: seed)
            let s = sums(model, rules: .lfpZero, inputs: 5, classes: 4, seed: seed)
            #expect(Swift.abs(s.input - s.initial) > 1e-2 * Swift.abs(s.initial),
                    "seed \(seed): with biases Σ at the input \(s.input) ≈ initial \(s.initial)")
        }
    }

    /// A small ε absorbs only a little: conservation holds to ε/|z|.
    @Test(arguments: [LayerKind.relu, .tanh])
    func lfpEpsilonApproximatelyConserves(activation: LayerKind) {
        for seed: UInt64 in [1, 2, 3] {
            let model = TestNets.mlp([5, 16, 16, 4], activation: activation, bias: false, seed: seed)
            let s = sums(model, rules: .lfpEpsilon(1e-6), inputs: 5, classes: 4, seed: seed)
            let tolerance = 1e-3 * Swift.abs(s.initial)
            for (layer, total) in s.layers {
                #expect(Swift.abs(total - s.initial) <= tolerance, "seed \(seed): Σ at \(layer) = \(total) vs \(s.initial)")
            }
            #expect(Swift.abs(s.input - s.initial) <= tolerance, "seed \(seed): Σ at input = \(s.input) vs \(s.initial)")
        }
    }

    /// A large ε visibly absorbs reward (so the conservation checks above can fail).
    @Test func largeEpsilonDoesNotConserve() {
        let model = TestNets.mlp([5, 16, 16, 4], activation: .relu, bias: false, seed: 1)
        let s = sums(model, rules: .lfpEpsilon(1.0), inputs: 5, classes: 4, seed: 1)
        #expect(Swift.abs(s.input - s.initial) > 1e-2 * Swift.abs(s.initial),
                "ε = 1: Σ at input \(s.input) vs initial \(s.initial)")
    }
}
