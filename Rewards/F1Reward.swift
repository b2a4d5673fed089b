import Foundation
import LFP

/// Macro-F1 over the batch as a reward. Sample `b`'s global reward for class `c` is the
/// counterfactual `Δ[b,c]`: how much the batch's macro-F1 would change if that sample's prediction
/// (arg-max) became `c`, all other predictions kept (0 for its current prediction). It is made
/// per-output as Eq. 13 with Table 2 #3's shaping, `r = o_c · ρ_c · N·Δ[b,c]` with `ρ_c` the
/// softmax convergence factor (the defaults); `sign(o_c)` instead of `o_c` with `magnitude` off
/// (Eq. 12), `ρ = 1` with `convergence` off. Batch-coupled and not differentiable: no loss has
/// this as its gradient.
public struct F1Reward: ConfigurableReward {
    /// Whether to scale by #3's convergence factor: `1 − SM(o)_c` where `Δ > 0`, `SM(o)_c` where `Δ < 0`.
    public var convergence: Bool
    /// Whether to scale by `o_c` instead of `sign(o_c)` (like #3's `R_c = |o_c|`).
    public var magnitude: Bool

    /// The reward; by default shaped like Table 2 #3 (convergence factor, scaled by `o_c`), which
    /// trains stably; the sign-only forms need far smaller, well-tuned learning rates.
    public init(convergence: Bool = true, magnitude: Bool = true) {
        self.convergence = convergence
        self.magnitude = magnitude
    }

    public init(parameterValues values: [String: Double]) throws {
        self.init(convergence: values.flag("convergence", or: true), magnitude: values.flag("magnitude", or: true))
    }

    public var info: RewardInfo {
        RewardInfo(id: "f1", name: "Macro-F1 counterfactual",
                   summary: "o_c * rho_c * N * (macro-F1 if the sample's prediction became c - macro-F1 now)",
                   description: """
                   Macro-F1 of the batch is the mean over all C classes of 2TP/(2TP+FP+FN) (0 for a \
                   class that is neither labelled nor predicted). For sample b with prediction p and \
                   class c, D[b,c] = F1(batch with b predicted as c) - F1(batch), computed from the \
                   confusion matrix in O(1) (only columns p and c change). r[b,c] = g(o[b,c]) * rho * \
                   N * D[b,c], with N the batch size, g = o[b,c] (magnitude = 1, default) or sign(o[b,c]) \
                   (sign(0) = +1, Eq. 12), and rho = the softmax factor of Table 2 #3 (1 - SM(o)_c \
                   where D > 0, SM(o)_c where D < 0; convergence = 1, default) or 1. Rewards rare \
                   classes as much as the metric does, so it suits imbalanced data. The sign-only, \
                   non-converging form (magnitude = 0, convergence = 0) is unstable under LFP-epsilon.
                   """,
                   differentiable: false, paperReference: "Eq. 12-13 (reward shaping); metric not in the paper",
                   parameters: [
                       RewardParameter(name: "convergence", defaultValue: 1,
                                       summary: "1: scale by the softmax convergence factor (Eq. 13)"),
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
                        if converge { Kernels.softmax(row, count: m, into: p.baseAddress!) }
                        for c in 0..<m {
                            let gain = Float(gains[b * m + c]) * Float(n)
                            guard gain != 0 else { continue }
                            let rho: Float = converge ? (gain > 0 ? 1 - p[c] : p[c]) : 1
                            let g: Float = scaled ? row[c] : (row[c] >= 0 ? 1 : -1)
                            rp[b * m + c] = g * rho * gain
                        }
                    }
                }
            }
        }
        try checkFinite(r)
        return r
    }
}
