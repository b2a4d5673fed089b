import Foundation
import LFP

/// Table 2 #4: `r_c = o_c · (y_c − σ(o_c))`, the reward equivalent to binary cross-entropy with a
/// sigmoid per output (Theorem 1), e.g. for multi-label or one-vs-rest outputs.
public struct SigmoidCrossEntropyReward: Reward {
    /// The reward.
    public init() {}

    public var info: RewardInfo {
        RewardInfo(id: "sigmoid-ce", name: "Sigmoid cross-entropy equivalent (Table 2 #4)",
                   summary: "o_c * (y_c - sigmoid(o_c)); equivalent to sigmoid binary cross-entropy (Theorem 1)",
                   description: """
                   r[b,c] = o[b,c] * (onehot[b,c] - sigmoid(o[b,c])) = o_c * (-dL/do_c) for \
                   L = sum_c BCE(sigmoid(o_c), y_c). Each output is judged on its own.
                   """,
                   differentiable: true, gradientEquivalentLoss: "sigmoid binary cross-entropy",
                   paperReference: "Table 2 #4")
    }

    public func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        let labels = try validatedClassLabels(outputs: outputs, targets: targets)
        var r = Tensor(shape: outputs.shape)
        let m = outputs.columns
        outputs.scalars.withUnsafeBufferPointer { o in
            r.scalars.withUnsafeMutableBufferPointer { rp in
                for (b, label) in labels.enumerated() {
                    for c in 0..<m {
                        let v = o[b * m + c]
                        rp[b * m + c] = v * ((c == label ? 1 : 0) - 1 / (1 + Foundation.exp(-v)))
                    }
                }
            }
        }
        try checkFinite(r)
        return r
    }
}
