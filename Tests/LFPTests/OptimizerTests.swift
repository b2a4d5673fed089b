import Foundation
import Testing
@testable import LFP

/// SGD with PyTorch semantics (`d ← g + wd·w`, `v ← μv + d`, `w ← w − ηv`), the LFP direction
/// (`g = −feedback`, Eq. 4–5), clipping and the one-cycle schedule, against hand-computed values.
@Suite struct OptimizerTests {
    private func param(_ name: String, value: [Float], grad: [Float], shape: [Int]? = nil) -> Parameter {
        let s = shape ?? [value.count]
        let p = Parameter(name: name, value: Tensor(shape: s, scalars: value))
        p.grad = Tensor(shape: s, scalars: grad)
        return p
    }

    private func expectValues(_ p: Parameter, _ expected: [Float], tolerance: Float = 1e-6,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        TensorCheck.expectClose(p.value, Tensor(shape: p.value.shape, scalars: expected), p.name,
                                relative: 0, absolute: tolerance, sourceLocation: sourceLocation)
    }

    /// w = [1, −2], g = [0.5, 0.5], μ = 0.9, wd = 0.1, η = 0.1.
    /// Step 1: d = g + wd·w = [0.6, 0.3]; v = d; w = [1 − 0.06, −2 − 0.03] = [0.94, −2.03].
    /// Step 2: d = [0.5 + 0.094, 0.5 − 0.203] = [0.594, 0.297]; v = 0.9·[0.6, 0.3] + d = [1.134, 0.567];
    /// w = [0.94 − 0.1134, −2.03 − 0.0567] = [0.8266, −2.0867].
    @Test func sgdMomentumAndWeightDecayFollowPyTorch() {
        let p = param("w", value: [1, -2], grad: [0.5, 0.5])
        let sgd = SGD(momentum: 0.9, weightDecay: 0.1)
        sgd.step([p], direction: .gradient, learningRate: 0.1)
        expectValues(p, [0.94, -2.03])
        TensorCheck.expectClose(p.velocity, Tensor(shape: [2], scalars: [0.6, 0.3]), "velocity", relative: 0, absolute: 1e-6)
        sgd.step([p], direction: .gradient, learningRate: 0.1)
        expectValues(p, [0.8266, -2.0867])
        TensorCheck.expectClose(p.velocity, Tensor(shape: [2], scalars: [1.134, 0.567]), "velocity", relative: 0, absolute: 1e-6)
    }

    /// Plain SGD: w − η·g.
    @Test func plainSGDStepsAgainstTheGradient() {
        let p = param("w", value: [1, -2, 0], grad: [1, -1, 4])
        SGD().step([p], direction: .gradient, learningRate: 0.5)
        expectValues(p, [0.5, -1.5, -2])
    }

    /// Several steps against a Double re-implementation of torch.optim.SGD, changing gradients.
    @Test func sgdMatchesReferenceOverManySteps() {
        var rng = SeededGenerator(seed: 3)
        let p = param("w", value: (0..<6).map { _ in Float(rng.normal()) }, grad: [Float](repeating: 0, count: 6))
        var w = p.value.scalars.map(Double.init)
        var v = [Double](repeating: 0, count: 6)
        let sgd = SGD(momentum: 0.8, weightDecay: 0.05)
        for _ in 0..<10 {
            let g = (0..<6).map { _ in Float(rng.normal()) }
            p.grad = Tensor(shape: [6], scalars: g)
            sgd.step([p], direction: .gradient, learningRate: 0.05)
            for i in 0..<6 {
                let d = Double(g[i]) + 0.05 * w[i]
                v[i] = 0.8 * v[i] + d
                w[i] -= 0.05 * v[i]
            }
        }
        TensorCheck.expectClose(p.value, Tensor(shape: [6], scalars: w.map(Float.init)), "after 10 steps",
                                relative: 1e-5, absolute: 1e-6)
    }

    /// LFP ascends the feedback: w = [2, −1], J = grad = [0.5, 0.25] ⇒ feedback = |w| ⊙ J = [1, 0.25],
    /// η = 0.1, no momentum: w = [2.1, −0.975].
    @Test func feedbackDirectionAscendsFeedback() {
        let p = param("w", value: [2, -1], grad: [0.5, 0.25])
        SGD().step([p], direction: .feedback, learningRate: 0.1)
        expectValues(p, [2.1, -0.975])
        TensorCheck.expectClose(p.feedback, Tensor(shape: [2], scalars: [1, 0.25]), "feedback", relative: 0, absolute: 0)
        // The gradient direction from the same state descends instead.
        let q = param("q", value: [2, -1], grad: [0.5, 0.25])
        SGD().step([q], direction: .gradient, learningRate: 0.1)
        expectValues(q, [1.95, -1.025])
    }

    /// With momentum μ = 0.9 the feedback is recomputed from the new |w| each step:
    /// step 1 v = −[1, 0.25], w = [2.1, −0.975]; step 2 feedback = [1.05, 0.24375],
    /// v = 0.9·v − feedback = [−1.95, −0.46875], w = [2.295, −0.928125].
    /// With wd = 0.1 instead (μ = 0): d = −[1, 0.25] + 0.1·[2, −1] = [−0.8, −0.35], w = [2.08, −0.965].
    @Test func feedbackDirectionWithMomentumAndWeightDecay() {
        let p = param("w", value: [2, -1], grad: [0.5, 0.25])
        let sgd = SGD(momentum: 0.9)
        sgd.step([p], direction: .feedback, learningRate: 0.1)
        sgd.step([p], direction: .feedback, learningRate: 0.1)
        expectValues(p, [2.295, -0.928125])
        let q = param("q", value: [2, -1], grad: [0.5, 0.25])
        SGD(weightDecay: 0.1).step([q], direction: .feedback, learningRate: 0.1)
        expectValues(q, [2.08, -0.965])
    }

    /// Global norm: directions [3, 0] and [4] have norm 5; with max norm 1 every element is scaled
    /// by 1/(5 + 1e-6) (η = 1): a = [1 − 0.6, 1], b = [1 − 0.8]. With max norm 10 nothing changes.
    @Test func globalNormClippingScalesAllParametersTogether() {
        let a = param("a", value: [1, 1], grad: [3, 0])
        let b = param("b", value: [1], grad: [4])
        let norm: Double? = SGD(clipping: .globalNorm(maxNorm: 1)).step([a, b], direction: .gradient, learningRate: 1)
        #expect(norm.map { Swift.abs($0 - 5) < 1e-9 } == true, "norm \(String(describing: norm))")
        let factor = Float(1 / (5 + 1e-6))
        expectValues(a, [1 - 3 * factor, 1])
        expectValues(b, [1 - 4 * factor])

        let c = param("c", value: [1, 1], grad: [3, 0])
        let d = param("d", value: [1], grad: [4])
        SGD(clipping: .globalNorm(maxNorm: 10)).step([c, d], direction: .gradient, learningRate: 1)
        expectValues(c, [-2, 1])
        expectValues(d, [-3])
    }

    /// Clipping the LFP direction uses the norm of the feedback: w = [2, 2], J = [1.5, 2] ⇒
    /// feedback = [3, 4], norm 5; max norm 2.5 halves it: w = [2 + 1.5, 2 + 2] (η = 1).
    @Test func globalNormClippingOfFeedback() {
        let p = param("w", value: [2, 2], grad: [1.5, 2])
        let norm: Double? = SGD(clipping: .globalNorm(maxNorm: 2.5)).step([p], direction: .feedback, learningRate: 1)
        #expect(norm.map { Swift.abs($0 - 5) < 1e-9 } == true)
        expectValues(p, [3.5, 4], tolerance: 2e-6)
    }

    /// Adaptive clipping (λ = 0.1), per weight row: row 0 w = [3, 4] (‖w‖ = 5), g = [30, 40]
    /// (‖g‖ = 50 > 0.5) ⇒ g scaled to [0.3, 0.4], w = [2.7, 3.6]; row 1 w = [1, 0], g = [0.01, 0]
    /// (below 0.1) unchanged ⇒ [0.99, 0]; row 2 w = 0 ⇒ limit 0.1·1e-3, g = [1, 0] ⇒ w = [−1e-4, 0].
    /// A bias vector is one unit: b = [0.5], g = [1] ⇒ limit 0.05 ⇒ b = 0.45.
    @Test func adaptiveClippingLimitsEachRowRelativeToItsWeights() {
        let w = param("w", value: [3, 4, 1, 0, 0, 0], grad: [30, 40, 0.01, 0, 1, 0], shape: [3, 2])
        let b = param("b", value: [0.5], grad: [1])
        SGD(clipping: .adaptive(lambda: 0.1)).step([w, b], direction: .gradient, learningRate: 1)
        expectValues(w, [2.7, 3.6, 0.99, 0, -1e-4, 0])
        expectValues(b, [0.45])
    }

    /// One-cycle with peak 1 over 100 steps (PyTorch OneCycleLR defaults): starts at peak/25,
    /// reaches the peak at step 0.3·100 − 1 = 29, is (1 + 4e-6)/2 half-way down (step 64) and ends
    /// at peak/25e4 = 4e-6 at step 99; step 10 is 1 + (0.04 − 1)/2·(1 + cos(π·10/29)) = 0.2951639.
    @Test func oneCycleScheduleEndpoints() {
        let s = LearningRateSchedule.oneCycle
        func r(_ step: Int) -> Float { s.rate(peak: 1, step: step, totalSteps: 100) }
        #expect(Swift.abs(r(0) - 0.04) < 1e-7)
        #expect(Swift.abs(r(10) - 0.2951639) < 1e-6)
        #expect(r(29) == 1)
        #expect(Swift.abs(r(30) - 0.9994965) < 1e-6)
        #expect(Swift.abs(r(64) - 0.500002) < 1e-6)
        #expect(Swift.abs(r(99) - 4e-6) < 1e-10)
        // Rising to the peak, falling after it.
        for step in 1...29 { #expect(r(step) > r(step - 1), "step \(step)") }
        for step in 30...99 { #expect(r(step) < r(step - 1), "step \(step)") }
        // Scales with the peak.
        #expect(Swift.abs(s.rate(peak: 0.01, step: 0, totalSteps: 100) - 0.0004) < 1e-9)
        #expect(LearningRateSchedule.constant.rate(peak: 0.3, step: 57, totalSteps: 100) == 0.3)
    }

    /// An LFP step with reward #3 on a linear model lowers the cross-entropy (Theorem 1 makes it
    /// a |w|-scaled gradient step), and a gradient step does too.
    @Test(arguments: [UpdateDirection.feedback, .gradient])
    func oneStepLowersTheLossOnALinearModel(direction: UpdateDirection) {
        var rng = SeededGenerator(seed: 11)
        let model = Sequential(name: "m", [Dense(name: "fc", inputSize: 4, outputSize: 3, bias: true, rng: &rng)])
        let x = TestNets.normal([16, 4], rng: &rng)
        let labels = TestNets.labels(16, classes: 3, rng: &rng)
        var g = Tensor(shape: [0])
        let before = SoftmaxCrossEntropy().evaluate(outputs: model.forward(x, mode: .train), labels: labels, gradient: &g)
        if direction == .feedback {
            let reward = ConformanceRewards.softmaxLoss(model.output, labels: labels)
            Propagator(rules: .lfpEpsilon(1e-6)).propagate(reward, through: model, input: x)
        } else {
            Propagator(rules: .gradient).propagate(g, through: model, input: x)
        }
        SGD().step(model.allParameters, direction: direction, learningRate: 0.01)
        let after = SoftmaxCrossEntropy().evaluate(outputs: model.forward(x, mode: .train), labels: labels, gradient: &g)
        #expect(after < before, "\(direction): loss \(before) → \(after)")
    }
}
