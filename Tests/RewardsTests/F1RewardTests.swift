import Foundation
import LFP
import Testing
@testable import Rewards

/// The F1 reward: macro-F1 over the batch and its counterfactual per-sample, per-class gains.
struct F1RewardTests {
    @Test func counterfactualGainsEqualBruteForceRecomputationOfMacroF1() {
        for seed in UInt64(1)...6 {
            let classes = 2 + Int(seed % 4), n = 5 + Int(seed) * 7
            let predictions = Support.randomLabels(count: n, classes: classes, seed: seed)
            let labels = Support.randomLabels(count: n, classes: classes, seed: seed + 100)
            let gains = F1Reward.counterfactualGains(predictions: predictions, labels: labels, classes: classes)
            let base = Support.bruteForceMacroF1(predictions: predictions, labels: labels, classes: classes)
            for b in 0..<n {
                for c in 0..<classes {
                    var changed = predictions
                    changed[b] = c
                    let expected = Support.bruteForceMacroF1(predictions: changed, labels: labels, classes: classes) - base
                    #expect(abs(gains[b * classes + c] - expected) < 1e-12, "seed \(seed) sample \(b) class \(c)")
                }
            }
        }
    }

    @Test func macroF1MatchesAHandComputedBatch() {
        // labels 0 0 1 1, predictions 0 1 1 1: F1_0 = 2/3, F1_1 = 4/5, macro 0.7333…
        let f1 = Support.bruteForceMacroF1(predictions: [0, 1, 1, 1], labels: [0, 0, 1, 1], classes: 2)
        #expect(abs(f1 - (2.0 / 3 + 0.8) / 2) < 1e-12)
        #expect(abs(F1Reward.macroF1(truePositives: [1, 2], predicted: [1, 3], actual: [2, 2]) - f1) < 1e-12)
    }

    @Test func signOnlyRewardIsSignOfOutputTimesBatchSizeTimesGain() throws {
        // labels 0 0 1 1; outputs predict 0 1 1 1. Sample 1 (label 0, predicted 1) moving to 0
        // makes the batch perfect: gain 1 - 0.7333 = 0.2667, times N = 4.
        let o = Tensor(shape: [4, 2], scalars: [2, 1,  -1, 0.5,  0, 1,  -3, -2])
        let r = try F1Reward(convergence: false, magnitude: false)(outputs: o, targets: .classes([0, 0, 1, 1]))
        let gain = Float(1 - (2.0 / 3 + 0.8) / 2) * 4
        #expect(abs(r[1, 0] - (-1) * gain) < 1e-5)   // o = -1: sign −1
        #expect(r[1, 1] == 0)                        // its current prediction: no change
        // sample 0 is correct: predicting 1 instead would lower F1 to (0 + 4/6) / 2 = 1/3
        #expect(abs(r[0, 1] - Float(1.0 / 3 - (2.0 / 3 + 0.8) / 2) * 4) < 1e-5)
        #expect(r[0, 0] == 0)
    }

    @Test func convergingFormIsOutputTimesGradientOfExpectedF1GainUnderSoftmax() throws {
        // With E = N · Σ_k softmax(o)_k · D_k (the batch-scaled F1 gain expected if the prediction
        // were drawn from the softmax), the reward is r_c = o_c · ∂E/∂o_c: Theorem 1's form for
        // the objective "expected F1 gain". Checked against central differences of E.
        let o = Support.randomOutputs(rows: 12, columns: 3, seed: 5)
        let y = Support.randomLabels(count: 12, classes: 3, seed: 6)
        let gains = F1Reward.counterfactualGains(predictions: o.argmaxRows(), labels: y, classes: 3)
        let shaped = try F1Reward()(outputs: o, targets: .classes(y))
        let signOnly = try F1Reward(convergence: true, magnitude: false)(outputs: o, targets: .classes(y))
        for b in 0..<12 {
            func expectedGain(_ row: [Double]) -> Double {
                let total = row.map { exp($0) }.reduce(0, +)
                return (0..<3).reduce(0) { $0 + exp(row[$1]) / total * gains[b * 3 + $1] } * 12
            }
            let row = (0..<3).map { Double(o[b, $0]) }
            for c in 0..<3 {
                var up = row, down = row
                up[c] += 1e-5
                down[c] -= 1e-5
                let derivative = (expectedGain(up) - expectedGain(down)) / 2e-5
                #expect(abs(Double(shaped[b, c]) - row[c] * derivative) < 1e-4)
                #expect(abs(Double(signOnly[b, c]) - (row[c] >= 0 ? 1 : -1) * derivative) < 1e-4)
            }
        }
    }

    @Test func isDeclaredBatchCoupledAndNotDifferentiable() {
        #expect(F1Reward().info.batchCoupled)
        #expect(!F1Reward().info.differentiable)
    }
}
