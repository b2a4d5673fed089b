import Foundation
import Testing
@testable import LFP

/// Each layer's forward pass, its LFP pass and its gradient pass on tiny cases worked out by hand.
@Suite struct LayerTests {
    private func t(_ shape: [Int], _ s: [Float]) -> Tensor { Tensor(shape: shape, scalars: s) }

    /// A Dense layer with the given weight `[out, in]` and bias.
    private func dense(_ name: String, weight: [[Float]], bias: [Float]?) -> Dense {
        var rng = SeededGenerator(seed: 0)
        let d = Dense(name: name, inputSize: weight[0].count, outputSize: weight.count, bias: bias != nil, rng: &rng)
        d.weight.value = t([weight.count, weight[0].count], weight.flatMap { $0 })
        if let bias { d.bias!.value = t([bias.count], bias) }
        return d
    }

    // MARK: Dense

    /// W = [[1, 2], [3, −1]], b = [0.5, −1], x = [[1, 1], [2, 0]]:
    /// z = x·Wᵀ + b = [[1+2+0.5, 3−1−1], [2+0+0.5, 6−0−1]] = [[3.5, 1], [2.5, 5]].
    @Test func denseForwardIsXTimesWTransposePlusBias() {
        let d = dense("fc", weight: [[1, 2], [3, -1]], bias: [0.5, -1])
        let z = d.forward(t([2, 2], [1, 1, 2, 0]), mode: .train)
        #expect(z == t([2, 2], [3.5, 1, 2.5, 5]))
        #expect(d.output == z)
        #expect(d.parameters.map(\.name) == ["fc.weight", "fc.bias"])
        let noBias = dense("nb", weight: [[1, 2], [3, -1]], bias: nil)
        #expect(noBias.forward(t([2, 2], [1, 1, 2, 0]), mode: .eval) == t([2, 2], [3, 2, 2, 6]))
        #expect(noBias.parameters.count == 1)
    }

    /// Same layer, upstream gradient g = [[1, 0], [0, 2]]:
    /// ∂W = gᵀx = [[1·1 + 0·2, 1·1 + 0·0], [0·1 + 2·2, 0·1 + 2·0]] = [[1, 1], [4, 0]],
    /// ∂b = Σ_batch g = [1, 2], ∂x = g·W = [[1, 2], [6, −2]].
    @Test func denseGradientPass() {
        let d = dense("fc", weight: [[1, 2], [3, -1]], bias: [0.5, -1])
        let x = t([2, 2], [1, 1, 2, 0])
        d.forward(x, mode: .train)
        let dx = Propagator(rules: .gradient).propagate(t([2, 2], [1, 0, 0, 2]), through: d, input: x,
                                                        needsInputSignal: true)
        #expect(d.weight.grad == t([2, 2], [1, 1, 4, 0]))
        #expect(d.bias!.grad == t([2], [1, 2]))
        #expect(dx == t([2, 2], [1, 2, 6, -2]))
        // A second pass overwrites (does not accumulate into) the gradient.
        Propagator(rules: .gradient).propagate(t([2, 2], [1, 0, 0, 2]), through: d, input: x)
        #expect(d.weight.grad == t([2, 2], [1, 1, 4, 0]))
    }

    /// LFP-0 with reward r = z (so s = r/z = 1 everywhere):
    /// feedback(W) = |W| ⊙ (sᵀx) = [[1, 2], [3, 1]] ⊙ [[3, 1], [3, 1]] = [[3, 2], [9, 1]],
    /// feedback(b) = |b| ⊙ Σ s = [0.5, 1] ⊙ [2, 2] = [1, 2],
    /// reward to input = x ⊙ (s·W) = [[1, 1], [2, 0]] ⊙ [[4, 1], [4, 1]] = [[4, 1], [8, 0]].
    /// Σ r = 12 = Σ input (13) + Σ_b b·s (0.5·2 − 1·2 = −1).
    @Test func denseLFPZeroPass() {
        let d = dense("fc", weight: [[1, 2], [3, -1]], bias: [0.5, -1])
        let x = t([2, 2], [1, 1, 2, 0])
        let z = d.forward(x, mode: .train)
        let input = Propagator(rules: .lfpZero).propagate(z, through: d, input: x, needsInputSignal: true)
        d.weight.computeFeedback()
        d.bias!.computeFeedback()
        #expect(d.weight.grad == t([2, 2], [3, 1, 3, 1]))   // J_W = sᵀx
        #expect(d.weight.feedback == t([2, 2], [3, 2, 9, 1]))
        #expect(d.bias!.feedback == t([2], [1, 2]))
        #expect(input == t([2, 2], [4, 1, 8, 0]))
    }

    /// LFP-ε with ε = 0.5 on one sample: W = [[1, 1]], no bias, x = [[1, 2]] ⇒ z = 3,
    /// stab(3) = 3.5, r = 7 ⇒ s = 2; feedback(W) = |W| ⊙ s·x = [[2, 4]]; input reward = x ⊙ s·W = [[2, 4]]
    /// (Σ = 6 < 7: ε absorbed r·ε/stab(z) = 1). For z = −3 (W = [[−1, −1]]): stab = −3.5 ⇒ s = −2.
    @Test func denseLFPEpsilonStabilisesAwayFromZero() {
        let d = dense("fc", weight: [[1, 1]], bias: nil)
        let x = t([1, 2], [1, 2])
        d.forward(x, mode: .train)
        let input = Propagator(rules: .lfpEpsilon(0.5)).propagate(t([1, 1], [7]), through: d, input: x,
                                                                 needsInputSignal: true)
        d.weight.computeFeedback()
        #expect(d.weight.feedback == t([1, 2], [2, 4]))
        #expect(input == t([1, 2], [2, 4]))

        let n = dense("neg", weight: [[-1, -1]], bias: nil)
        n.forward(x, mode: .train)
        let input2 = Propagator(rules: .lfpEpsilon(0.5)).propagate(t([1, 1], [7]), through: n, input: x,
                                                                  needsInputSignal: true)
        n.weight.computeFeedback()
        // s = 7 / (−3.5) = −2; J_W = s·x = [[−2, −4]]; feedback = |W| ⊙ J = [[−2, −4]];
        // input = x ⊙ (s·W) = [1, 2] ⊙ [2, 2] = [[2, 4]].
        #expect(n.weight.feedback == t([1, 2], [-2, -4]))
        #expect(input2 == t([1, 2], [2, 4]))
    }

    /// stab(0) = +ε (sign(0) = +1): W = [[1, −1]], x = [[2, 2]] ⇒ z = 0 exactly; r = 0.5, ε = 0.25
    /// ⇒ s = 0.5/0.25 = +2; J_W = s·x = [[4, 4]]; input reward = x ⊙ (s·W) = [[4, −4]].
    @Test func stabilizerOfZeroIsPlusEpsilon() {
        #expect(Kernels.stabilize(0, epsilon: 0.25) == 0.25)
        #expect(Kernels.stabilize(-0.0, epsilon: 0.25) == 0.25)
        #expect(Kernels.stabilize(2, epsilon: 0.5) == 2.5)
        #expect(Kernels.stabilize(-2, epsilon: 0.5) == -2.5)
        let d = dense("fc", weight: [[1, -1]], bias: nil)
        let x = t([1, 2], [2, 2])
        #expect(d.forward(x, mode: .train) == t([1, 1], [0]))
        let input = Propagator(rules: .lfpEpsilon(0.25)).propagate(t([1, 1], [0.5]), through: d, input: x,
                                                                  needsInputSignal: true)
        #expect(d.weight.grad == t([1, 2], [4, 4]))
        d.weight.computeFeedback()
        #expect(d.weight.feedback == t([1, 2], [4, 4]))
        #expect(input == t([1, 2], [4, -4]))
    }

    // MARK: Activations

    static let probe: [Float] = [-2, -0.5, 0, 0.5, 2]

    /// Values and derivatives at −2, −0.5, 0, 0.5, 2, worked out from the definitions
    /// (σ(2) = 0.8807971, σ(0.5) = 0.6224593, tanh(0.5) = 0.4621172, tanh(2) = 0.9640276,
    /// e^−2 = 0.1353353, e^−0.5 = 0.6065307). The derivative at 0 follows PyTorch (ReLU'(0) = 0,
    /// LeakyReLU'(0) = α, ELU'(0) = 1).
    static let table: [(LayerKind, [Float], [Float])] = [
        (.relu, [0, 0, 0, 0.5, 2], [0, 0, 0, 1, 1]),
        (.leakyReLU, [-0.02, -0.005, 0, 0.5, 2], [0.01, 0.01, 0.01, 1, 1]),
        // SiLU x·σ(x); derivative σ(x)·(1 + x(1 − σ(x))), e.g. at 2: 0.8807971·(1 + 2·0.1192029) = 1.0907842.
        (.silu, [-0.2384058, -0.1887703, 0, 0.3112297, 1.7615942],
         [-0.0907842, 0.2600388, 0.5, 0.7399612, 1.0907842]),
        // ELU (α = 1): e^x − 1 below 0, derivative e^x there.
        (.elu, [-0.8646647, -0.3934693, 0, 0.5, 2], [0.1353353, 0.6065307, 1, 1, 1]),
        // Tanh, derivative 1 − tanh².
        (.tanh, [-0.9640276, -0.4621172, 0, 0.4621172, 0.9640276], [0.0706508, 0.7864477, 1, 0.7864477, 0.0706508]),
        // Sigmoid, derivative σ(1 − σ).
        (.sigmoid, [0.1192029, 0.3775407, 0.5, 0.6224593, 0.8807971], [0.1049936, 0.2350037, 0.25, 0.2350037, 0.1049936]),
        (.heaviside, [0, 0, 0, 1, 1], [0, 0, 0, 0, 0]),
        (.identity, [-2, -0.5, 0, 0.5, 2], [1, 1, 1, 1, 1]),
    ]

    @Test(arguments: 0..<8)
    func activationForwardAndDerivative(row: Int) {
        let (kind, values, derivative) = Self.table[row]
        let a = Activation(kind, name: "act")
        let x = t([1, 5], Self.probe)
        let y = a.forward(x, mode: .train)
        TensorCheck.expectClose(y, t([1, 5], values), "\(kind) forward", relative: 0, absolute: 2e-7)
        // Gradient pass with upstream vector 3 checks the derivative times the vector.
        let dx = Propagator(rules: .gradient).propagate(t([1, 5], [Float](repeating: 3, count: 5)), through: a,
                                                        input: x, needsInputSignal: true)
        TensorCheck.expectClose(dx, t([1, 5], derivative.map { 3 * $0 }), "\(kind) derivative",
                                relative: 0, absolute: 6e-7)
    }

    /// Under LFP the reward passes through every activation unchanged, whatever the derivative.
    @Test(arguments: [LayerKind.relu, .leakyReLU, .silu, .elu, .tanh, .sigmoid, .heaviside, .identity])
    func activationPassesRewardUnchangedUnderLFP(kind: LayerKind) {
        let a = Activation(kind, name: "act")
        let x = t([1, 5], Self.probe)
        a.forward(x, mode: .train)
        let r = t([1, 5], [1.5, -2, 0.25, 3, -0.75])
        for rules in [RuleMap.lfpEpsilon(1e-6), .lfpZero] {
            let out = Propagator(rules: rules).propagate(r, through: Sequential(name: "m", [a]), input: x,
                                                         needsInputSignal: true)
            #expect(out == r)
        }
    }

    @Test func leakyReLUAndELUUseTheirCoefficient() {
        // LeakyReLU slope 0.2: f(−2) = −0.4, f'(−2) = 0.2. ELU α = 2: f(−2) = 2(e^−2 − 1) = −1.7293294,
        // f'(−2) = 2e^−2 = 0.2706706.
        let leaky = Activation(.leakyReLU, name: "l", coefficient: 0.2)
        let x = t([1, 2], [-2, 3])
        #expect(leaky.forward(x, mode: .train) == t([1, 2], [-0.4, 3]))
        let dl = Propagator(rules: .gradient).propagate(t([1, 2], [1, 1]), through: leaky, input: x, needsInputSignal: true)
        #expect(dl == t([1, 2], [0.2, 1]))
        let elu = Activation(.elu, name: "e", coefficient: 2)
        TensorCheck.expectClose(elu.forward(x, mode: .train), t([1, 2], [-1.7293294, 3]), "elu α=2", relative: 0, absolute: 3e-7)
        let de = Propagator(rules: .gradient).propagate(t([1, 2], [1, 1]), through: elu, input: x, needsInputSignal: true)
        TensorCheck.expectClose(de, t([1, 2], [0.2706706, 1]), "elu' α=2", relative: 0, absolute: 3e-7)
    }

    // MARK: Flatten

    @Test func flattenReshapesAndItsBackwardRestoresTheShape() {
        let f = Flatten(name: "flat")
        let x = Tensor(shape: [2, 3, 2, 2], scalars: (0..<24).map(Float.init))
        let y = f.forward(x, mode: .train)
        #expect(y.shape == [2, 12])
        #expect(y.scalars == x.scalars)   // index c·H·W + h·W + w is row-major order
        let g = Tensor(shape: [2, 12], scalars: (0..<24).map { Float($0) * 2 })
        for rules in [RuleMap.gradient, .lfpEpsilon(1e-6)] {
            let back = Propagator(rules: rules).propagate(g, through: f, input: x, needsInputSignal: true)
            #expect(back.shape == [2, 3, 2, 2])
            #expect(back.scalars == g.scalars)
        }
        // Already flat input stays as it is.
        #expect(f.forward(t([3, 4], [Float](repeating: 1, count: 12)), mode: .eval).shape == [3, 4])
    }

    // MARK: Dropout

    @Test(arguments: [Float(0.5), 0.25])
    func dropoutMasksAndScalesByInverseKeepProbability(p: Float) {
        let d = Dropout(name: "drop", probability: p, seed: 7)
        let n = 10_000
        let x = Tensor(shape: [100, 100], scalars: (0..<n).map { Float($0 % 7) + 1 })
        let y = d.forward(x, mode: .train)
        let keep = 1 / (1 - p)
        var dropped = 0
        for i in 0..<n {
            if y.scalars[i] == 0 { dropped += 1 }
            else { #expect(y.scalars[i] == x.scalars[i] * keep, "element \(i)"); if y.scalars[i] != x.scalars[i] * keep { break } }
        }
        let fraction = Double(dropped) / Double(n)
        #expect(Swift.abs(fraction - Double(p)) < 0.03, "dropped \(fraction), p = \(p)")
        // The backward pass (gradient, and LFP by its vector-Jacobian product) applies the same mask.
        let ones = Tensor(shape: [100, 100], repeating: 1)
        for rules in [RuleMap.gradient, .lfpEpsilon(1e-6)] {
            let back = Propagator(rules: rules).propagate(ones, through: Sequential(name: "m", [d]), input: x,
                                                          needsInputSignal: true)
            for i in 0..<n {
                let expected: Float = y.scalars[i] == 0 ? 0 : keep
                if back.scalars[i] != expected {
                    Issue.record("\(rules): element \(i) of the backward pass is \(back.scalars[i]), expected \(expected)")
                    break
                }
            }
        }
        // A second forward pass draws a new mask.
        let y2 = d.forward(x, mode: .train)
        #expect(y2 != y)
    }

    @Test func dropoutIsTheIdentityInEvaluation() {
        let d = Dropout(name: "drop", probability: 0.5, seed: 7)
        let x = t([2, 3], [1, -2, 3, -4, 5, -6])
        #expect(d.forward(x, mode: .eval) == x)
        let g = t([2, 3], [6, 5, 4, 3, 2, 1])
        let back = Propagator(rules: .gradient).propagate(g, through: d, input: x, needsInputSignal: true)
        #expect(back == g)
        // p = 0 in training is the identity too.
        let none = Dropout(name: "none", probability: 0, seed: 7)
        #expect(none.forward(x, mode: .train) == x)
    }

    // MARK: Residual

    /// Branch f = Dense W = [[1, 0], [0, 2]] (no bias), h = x = [[1, 3]]: f = [1, 6], z = f + h = [2, 9].
    @Test func residualForwardAddsBranchAndSkip() {
        let block = Residual(name: "res", branch: dense("res.fc", weight: [[1, 0], [0, 2]], bias: nil))
        #expect(block.forward(t([1, 2], [1, 3]), mode: .train) == t([1, 2], [2, 9]))
        #expect(block.allParameters.map(\.name) == ["res.fc.weight"])
    }

    /// Eq. 11 with ε = 0 and r = [4, 9]: s = r/z = [2, 1]; the branch gets f ⊙ s = [2, 6], the skip
    /// h ⊙ s = [2, 3]. Inside the branch s' = [2, 6]/f = [2, 1], reward to x through it
    /// x ⊙ (s'·W) = [1, 3] ⊙ [2, 2] = [2, 6]; total at x: [2, 6] + [2, 3] = [4, 9].
    /// feedback(W) = |W| ⊙ (s'ᵀx) = [[1, 0], [0, 2]] ⊙ [[2, 6], [1, 3]] = [[2, 0], [0, 6]].
    @Test func residualSplitsRewardByContribution() {
        let fc = dense("res.fc", weight: [[1, 0], [0, 2]], bias: nil)
        let block = Residual(name: "res", branch: fc)
        let x = t([1, 2], [1, 3])
        block.forward(x, mode: .train)
        let propagator = Propagator(rules: .lfpZero)
        propagator.recordsLayerSignals = true
        let input = propagator.propagate(t([1, 2], [4, 9]), through: block, input: x, needsInputSignal: true)
        #expect(input == t([1, 2], [4, 9]))
        let signals = Dictionary(uniqueKeysWithValues: propagator.layerSignals.map { ($0.layer, $0.signal) })
        #expect(signals["res"] == t([1, 2], [4, 9]))
        #expect(signals["res.fc"] == t([1, 2], [2, 6]))
        fc.weight.computeFeedback()
        #expect(fc.weight.feedback == t([2, 2], [2, 0, 0, 6]))
    }

    /// Gradient through the block: ∂x = g + g·W = [1, 1] + [1, 2] = [2, 3]; ∂W = gᵀx = [[1, 3], [1, 3]].
    @Test func residualGradientPass() {
        let fc = dense("res.fc", weight: [[1, 0], [0, 2]], bias: nil)
        let block = Residual(name: "res", branch: fc)
        let x = t([1, 2], [1, 3])
        block.forward(x, mode: .train)
        let dx = Propagator(rules: .gradient).propagate(t([1, 2], [1, 1]), through: block, input: x,
                                                        needsInputSignal: true)
        #expect(dx == t([1, 2], [2, 3]))
        #expect(fc.weight.grad == t([2, 2], [1, 3, 1, 3]))
        // The layer's own backward agrees with the propagator.
        #expect(block.backward(t([1, 2], [1, 1]), input: x, needsInputVector: true) == t([1, 2], [2, 3]))
    }

    // MARK: Sequential and snapshots

    @Test func sequentialChainsAndCollectsParametersInOrder() {
        let a = dense("fc1", weight: [[1, 2], [3, -1]], bias: [0.5, -1])
        let b = dense("fc2", weight: [[1, 1]], bias: nil)
        let model = Sequential(name: "m", [a, Activation(.relu, name: "act"), b])
        // [[3.5, 1], [2.5, 5]] → ReLU → Σ = [[4.5], [7.5]]
        #expect(model.forward(t([2, 2], [1, 1, 2, 0]), mode: .train) == t([2, 1], [4.5, 7.5]))
        #expect(model.allParameters.map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight"])
    }

    @Test func snapshotRestoresArchitectureAndValues() throws {
        let model = TestNets.residualMLP(inputs: 3, width: 4, classes: 2, activation: .tanh, bias: true, seed: 3)
        let snapshot = ModelSnapshot(of: model)
        let data = try JSONEncoder().encode(snapshot)
        let restored = try JSONDecoder().decode(ModelSnapshot.self, from: data).restore()
        #expect(restored.spec == model.spec)
        let x = t([2, 3], [0.1, -0.2, 0.3, 1, 2, -3])
        #expect(restored.forward(x, mode: .eval) == model.forward(x, mode: .eval))
        var broken = snapshot
        broken.parameters["fc1.weight"] = t([1], [0])
        #expect(throws: SnapshotError.self) { _ = try broken.restore() }
    }
}
