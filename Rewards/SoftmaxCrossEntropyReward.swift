import Foundation
import LFP

/// Table 2 #3, the default: `r_c = o_c · (y_c − softmax(o)_c)`. With LFP-0 on a ReLU network it
/// equals gradient descent on the summed softmax cross-entropy scaled by `|w|` (Theorem 1).
public struct SoftmaxCrossEntropyReward: Reward {
    /// The reward.
    public init() {}

    public var info: RewardInfo {
        RewardInfo(id: "softmax-ce", name: "Softmax cross-entropy equivalent (Table 2 #3)",
                   summary: "o_c * (y_c - softmax(o)_c); the default, equivalent to softmax-CE (Theorem 1)",
                   description: """
                   r[b,c] = o[b,c] * (onehot[b,c] - softmax(o[b,:])[c]) = o_c * (-dL/do_c) for \
                   L = -log softmax(o)[label]. Its convergence factor is 1 - SM(o_c) on the true \
                   class and SM(o_c) elsewhere, so rewards fade as predictions become confident.
                   """,
                   differentiable: true, gradientEquivalentLoss: "softmax cross-entropy",
                   paperReference: "Table 2 #3")
    }

    public func callAsFunction(outputs: Tensor, targets: Targets) throws -> Tensor {
        let labels = try validatedClassLabels(outputs: outputs, targets: targets)
        var r = Tensor(shape: outputs.shape)
        let m = outputs.columns
        outputs.scalars.withUnsafeBufferPointer { o in
            r.scalars.withUnsafeMutableBufferPointer { rp in
                for (b, label) in labels.enumerated() {
                    let row = o.baseAddress! + b * m, out = rp.baseAddress! + b * m
                    Kernels.softmax(row, count: m, into: out)
                    for c in 0..<m { out[c] = row[c] * ((c == label ? 1 : 0) - out[c]) }
                }
            }
        }
        try checkFinite(r)
        return r
    }
}
