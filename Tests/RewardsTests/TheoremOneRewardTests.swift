import Foundation
import LFP
import Testing
@testable import Rewards

/// Table 2 #3 and #4 are Theorem 1's reward `r = o · (−∂L/∂o)` for the summed loss.
struct TheoremOneRewardTests {
    let outputs = Support.randomOutputs(rows: 32, columns: 6, seed: 11)
    let labels = Support.randomLabels(count: 32, classes: 6, seed: 12)

    @Test func softmaxRewardIsOutputTimesNegativeGradientOfSummedSoftmaxCrossEntropy() throws {
        var gradient = Tensor(shape: [0])
        _ = SoftmaxCrossEntropy().evaluate(outputs: outputs, labels: labels, gradient: &gradient)
        let r = try SoftmaxCrossEntropyReward()(outputs: outputs, targets: .classes(labels))
        let n = Float(outputs.rows)   // the loss is a mean: the summed loss's gradient is N times it
        for i in 0..<r.count {
            #expect(abs(r.scalars[i] - outputs.scalars[i] * (-gradient.scalars[i] * n)) < 1e-5)
        }
    }

    @Test func sigmoidRewardIsOutputTimesNegativeGradientOfSummedBinaryCrossEntropy() throws {
        var gradient = Tensor(shape: [0])
        _ = SigmoidBinaryCrossEntropy().evaluate(outputs: outputs, labels: labels, gradient: &gradient)
        let r = try SigmoidCrossEntropyReward()(outputs: outputs, targets: .classes(labels))
        let elements = Float(outputs.count)   // mean over all elements
        for i in 0..<r.count {
            #expect(abs(r.scalars[i] - outputs.scalars[i] * (-gradient.scalars[i] * elements)) < 1e-5)
        }
    }

    @Test func softmaxRewardMatchesAFiniteDifferenceGradient() throws {
        let o = Tensor(shape: [1, 3], scalars: [0.5, -1.2, 2.0])
        let r = try SoftmaxCrossEntropyReward()(outputs: o, targets: .classes([1]))
        func loss(_ v: [Double]) -> Double {
            let peak = v.max()!
            return log(v.map { exp($0 - peak) }.reduce(0, +)) + peak - v[1]
        }
        let base = o.scalars.map(Double.init)
        for c in 0..<3 {
            var plus = base, minus = base
            plus[c] += 1e-4
            minus[c] -= 1e-4
            let derivative = (loss(plus) - loss(minus)) / 2e-4
            #expect(abs(Double(r.scalars[c]) - base[c] * -derivative) < 1e-4)
        }
    }

    @Test func onlyTheTheoremOneRewardsDeclareAGradientEquivalentLoss() {
        for reward in RewardCatalog.all {
            let expected = ["softmax-ce", "sigmoid-ce", "bounded-softmax"].contains(reward.info.id)
            #expect((reward.info.gradientEquivalentLoss != nil) == expected, "\(reward.info.id)")
            #expect(reward.info.differentiable == expected, "\(reward.info.id)")
        }
    }
}
