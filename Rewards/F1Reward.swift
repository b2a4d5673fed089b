import Foundation
import LFP

/// Macro-F1 over the batch as a reward. Sample `b`'s global reward for class `c` is the
/// counterfactual `Δ[b,c]`: how much the batch's macro-F1 would change if that sample's prediction
/// (arg-max) became `c`, all other predictions kept (0 for its current prediction). By default it
/// is made per-output as the softmax-expected gain, `r_c = o_c · SM_c · N·(Δ_c − Σ_k SM_k Δ_k)`
/// — `o_c` times the derivative of `N·Σ_k SM_k Δ_k`, the form Theorem 1 gives for that objective,
/// which fades as predictions firm up (Eq. 13). With `convergence` off, `r_c = o_c · N·Δ_c`
/// (Eq. 12 with the counterfactual as global reward); with `magnitude` off, `sign(o_c)` replaces
/// `o_c`. Batch-coupled and not differentiable: no loss of the outputs has it as its gradient.
public struct F1Reward: ConfigurableReward {
    /// Whether to use the softmax-expected gain (default) instead of the raw counterfactual gain.
    public var convergence: Bool
    /// Whether to scale by `o_c` instead of `sign(o_c)` (like #3's `R_c = |o_c|`).
    public var magnitude: Bool

    /// The reward; by default the softmax-expected gain scaled by `o_c`, which trains stably; the
    /// raw and sign-only forms need far smaller, well-tuned learning rates.
    public init(convergence: Bool = true, magnitude: Bool = true) {
        self.convergence = convergence
        self.magnitude = magnitude
    }

    public init(parameterValues values: [String: Double]) throws {
        self.init(convergence: values.flag("convergence", or: true), magnitude: values.flag("magnitude", or: true))
    }

    public var info: RewardInfo {
        RewardInfo(id: "f1", name: "Macro-F1 counterfactual",
                   summary: "o_c * SM_c * N * (D_c - sum_k SM_k D_k), D_c = change of batch macro-F1 if the prediction became c",
                   description: """
                   Macro-F1 of the batch is the mean over all C classes of 2TP/(2TP+FP+FN) (0 for a \
                   class that is neither labelled nor predicted). For sample b with prediction p and \
                   class c, D[b,c] = F1(batch with b predicted as c) - F1(batch), computed from the \
                   confusion matrix in O(1) (only columns p and c change; D[b,p] = 0). With \
                   convergence = 1 (default) r[b,c] = g(o[b,c]) * SM(o)_c * N * (D[b,c] - sum_k \
                   SM(o)_k D[b,k]): o_c times the derivative of the F1 gain expected if the prediction \
                   were drawn from the softmax (Theorem 1's form for that objective), so the current \
                   prediction is pushed down when another class would raise F1 and up when every \
                   other would lower it, and rewards fade as the softmax becomes confident. With \
                   convergence = 0, r[b,c] = g(o[b,c]) * N * D[b,c] (Eq. 12 with the counterfactual as \
                   global reward; the predicted class gets nothing). g = o[b,c] (magnitude = 1, \
                   default) or sign(o[b,c]) (sign(0) = +1). N is the batch size. Rewards rare classes as \
                   much as the metric does, so it suits imbalanced data.
                   """,
                   differentiable: false, paperReference: "Eq. 12-13 (reward shaping); metric not in the paper",
                   parameters: [
                       RewardParameter(name: "convergence", defaultValue: 1,
                                       summary: "1: softmax-expected gain (fades as predictions firm up, Eq. 13); 0: raw gain"),
                       RewardParameter(name: "magnitude", defaultValue: 1, summary: "1: scale by o_c, 0: by sign(o_c)"),
                   ],
                   batchCoupled: true)
    }

    /// Macro-F1 from per-class true positives, prediction counts and label counts.
    public static func macroF1(truePositives: [Int], predicted: [Int], actual: [Int]) -> Double {
        var total = 0.0
        for k in truePositives.indices {
            let denominator = predicted[k] + actual[k]
            if denominator > 0 { total += 2 * Double(truePositives[k]) / Double(denominator) }
        }
        return total / Double(max(truePositives.count, 1))
    }

    /// `Δ[b,c]` for every sample and class, row-major `[N·C]`: the change of the batch's macro-F1
    /// if sample `b`'s prediction became `c`.
    public static func counterfactualGains(predictions: [Int], labels: [Int], classes: Int) -> [Double] {
        var tp = [Int](repeating: 0, count: classes), predicted = tp, actual = tp
        for (p, y) in zip(predictions, labels) {
            predicted[p] += 1
            actual[y] += 1
            if p == y { tp[y] += 1 }
        }
        func f1(_ k: Int, tp extraTP: Int, predicted extraPredicted: Int) -> Double {
            let denominator = predicted[k] + extraPredicted + actual[k]
            return denominator > 0 ? 2 * Double(tp[k] + extraTP) / Double(denominator) : 0
        }
        let scale = 1 / Double(classes)
        var gains = [Double](repeating: 0, count: predictions.count * classes)
        for (b, (p, y)) in zip(predictions, labels).enumerated() {
            let leaving = f1(p, tp: p == y ? -1 : 0, predicted: -1) - f1(p, tp: 0, predicted: 0)
            for c in 0..<classes where c != p {
                let arriving = f1(c, tp: c == y ? 1 : 0, predicted: 1) - f1(c, tp: 0, predicted: 0)
                gains[b * classes + c] = (leaving + arriving) * scale
            }
        }
        return gains
    }

    public func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        let labels = try validatedClassLabels(outputs: outputs, targets: targets)
        let m = outputs.columns, n = labels.count
        let gains = Self.counterfactualGains(predictions: outputs.argmaxRows(), labels: labels, classes: m)
        var r = Tensor(shape: outputs.shape)
        let converge = convergence, scaled = magnitude
        var probabilities = [Float](repeating: 1, count: m)
        outputs.scalars.withUnsafeBufferPointer { o in
            r.scalars.withUnsafeMutableBufferPointer { rp in
                probabilities.withUnsafeMutableBufferPointer { p in
                    for b in 0..<n {
                        let row = o.baseAddress! + b * m
                        if converge {
                            Kernels.softmax(row, count: m, into: p.baseAddress!)
                            var expected: Float = 0
                            for c in 0..<m { expected += p[c] * Float(gains[b * m + c]) }
                            for c in 0..<m {
                                let advantage = (Float(gains[b * m + c]) - expected) * Float(n)
                                let g: Float = scaled ? row[c] : (row[c] >= 0 ? 1 : -1)
                                rp[b * m + c] = g * p[c] * advantage
                            }
                            continue
                        }
                        for c in 0..<m {
                            let gain = Float(gains[b * m + c]) * Float(n)
                            guard gain != 0 else { continue }
                            let g: Float = scaled ? row[c] : (row[c] >= 0 ? 1 : -1)
                            rp[b * m + c] = g * gain
                        }
                    }
                }
            }
        }
        try checkFinite(r)
        return r
    }
}
